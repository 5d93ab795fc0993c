import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H5, Text } from '@adminjs/design-system';

const api = new ApiClient();
// The server refuses bigger files too; checking here spares sending them.
const MAX_BYTES = 200 * 1024;

// The company logo for quotes: a preview, a file picker (PNG or JPEG), save and remove.
const CompanyLogoForm = ({ resource, record, action }) => {
  const { translateMessage: tm } = useTranslation();
  const notice = useNotice();
  const [logo, setLogo] = useState(null);
  const call = (data) =>
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, ...(data ? { method: 'post', data } : {}) }).then((res) => {
      setLogo(res.data.logo ?? null);
      if (res.data.notice) notice(res.data.notice);
    });
  useEffect(() => {
    call();
  }, []);
  const pick = (e) => {
    const file = e.target.files && e.target.files[0];
    if (!file) return;
    if (file.size > MAX_BYTES) {
      notice({ message: tm('companyLogoTooBig'), type: 'error' });
      return;
    }
    const reader = new FileReader();
    reader.onload = () => call({ logo: String(reader.result) });
    reader.readAsDataURL(file);
  };
  return (
    <Box variant="white" p="xl" data-testid="company-logo">
      <H5 mb="default">{tm('companyLogoTitle')}</H5>
      <Text mb="default" color="grey60">{tm('companyLogoHelp')}</Text>
      {logo ? <img src={logo} alt="" style={{ maxWidth: 240, maxHeight: 120, display: 'block', marginBottom: 16 }} /> : <Text mb="default">—</Text>}
      <input type="file" name="logo" accept="image/png,image/jpeg" onChange={pick} />
      {logo ? (
        <Button mt="default" variant="danger" size="sm" type="button" onClick={() => call({ logo: '' })}>
          {tm('companyLogoRemove')}
        </Button>
      ) : null}
    </Box>
  );
};

export default CompanyLogoForm;
