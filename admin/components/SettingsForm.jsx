import React, { useEffect } from 'react';
import { ApiClient, ViewHelpers } from 'adminjs';
import { Loader } from '@adminjs/design-system';
import { useNavigate } from 'react-router';

const api = new ApiClient();
const h = new ViewHelpers();

// There is one settings document: the Settings item opens its form instead of a list of one row.
const SettingsForm = ({ resource }) => {
  const navigate = useNavigate();
  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: 'list' }).then((res) => {
      const id = res.data.records?.[0]?.id;
      if (id) navigate(h.recordActionUrl({ resourceId: resource.id, recordId: id, actionName: 'edit' }), { replace: true });
    });
  }, []);
  return <Loader />;
};

export default SettingsForm;
