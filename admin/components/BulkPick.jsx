import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, Text } from '@adminjs/design-system';
import { useNavigate } from 'react-router';

const api = new ApiClient();
const LIST_OF = { assignOwner: 'users', changeStage: 'stages', addToGroup: 'groups' };

// One picker for the three customer bulk actions: choose the owner, stage or group, then apply.
const BulkPick = ({ resource, action, records }) => {
  const [options, setOptions] = useState([]);
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const navigate = useNavigate();
  const { tm, tb, ta } = useTranslation();

  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: 'choices' }).then((res) => setOptions(res.data[LIST_OF[action.name]] || []));
  }, [action.name]);

  const apply = async () => {
    if (!target) return;
    setBusy(true);
    try {
      const res = await api.bulkAction({ resourceId: resource.id, actionName: action.name, recordIds: records.map((r) => r.id), method: 'post', data: { target } });
      if (res.data.notice) addNotice(res.data.notice);
      if (res.data.redirectUrl) navigate(res.data.redirectUrl);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="white" p="xl">
      <H3>{ta(action.name, resource.id)} ({records.length})</H3>
      <Text mb="lg">{records.map((r) => r.title).join(', ')}</Text>
      <select name="target" value={target} onChange={(e) => setTarget(e.target.value)} style={{ padding: 8, minWidth: 260, marginRight: 12 }}>
        <option value="">— {tm('pickTarget')} —</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      <Button variant="primary" disabled={!target || busy} onClick={apply}>{tb('apply')}</Button>
    </Box>
  );
};

export default BulkPick;
