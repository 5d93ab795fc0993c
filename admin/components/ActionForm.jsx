import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, Text, Label, Input } from '@adminjs/design-system';
import { useNavigate, useLocation } from 'react-router';

const api = new ApiClient();

// A small form for record actions (complete, reschedule, reset password, link code) and the
// export download. The fields come from the action's `custom.fields`.
// Without an action it is the "My account" page: change one's own password.
const ACCOUNT = { fields: [{ name: 'currentPassword', type: 'password', required: true }, { name: 'password', type: 'password', required: true }] };

const ActionForm = ({ resource, action, record }) => {
  const custom = action ? action.custom || {} : ACCOUNT;
  const [values, setValues] = useState({});
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const navigate = useNavigate();
  const location = useLocation();
  const { tm, tb, ta, tp, tl } = useTranslation();

  if (custom.kind === 'download') {
    const href = custom.href + (location.search || '');
    return (
      <Box variant="white" p="xl">
        <H3>{ta(action.name, resource.id)}</H3>
        <Text mb="lg">{tm('exportHelp')}</Text>
        <a href={href} download data-testid="export-link"><Button variant="primary">{tb('download')}</Button></a>
      </Box>
    );
  }

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      const res = action
        ? await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, method: 'post', data: values })
        : await api.getPage({ pageName: 'account', method: 'post', data: values });
      if (res.data.notice) addNotice(res.data.notice);
      if (res.data.result) setResult(res.data.result);
      else if (res.data.redirectUrl) navigate(res.data.redirectUrl);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="white" p="xl" as="form" onSubmit={submit}>
      <H3>{action ? `${ta(action.name, resource.id)}: ${record.title}` : tl('account')}</H3>
      {(custom.fields || []).map((f) => (
        <Box key={f.name} mb="lg">
          <Label required={f.required}>{tp(f.name, resource ? resource.id : undefined)}</Label>
          {f.type === 'textarea' ? (
            <textarea name={f.name} rows={3} style={{ width: '100%' }} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
          ) : (
            <Input name={f.name} type={f.type} required={f.required} width={1} onChange={(e) => setValues({ ...values, [f.name]: f.type === 'datetime-local' ? new Date(e.target.value).toISOString() : e.target.value })} />
          )}
        </Box>
      ))}
      {result ? (
        <Box data-testid="action-result">
          <Text mb="sm"><b style={{ fontSize: 22, letterSpacing: 2 }}>{result.code}</b></Text>
          <Text mb="sm">{tm('linkCodeSend')} <code>{result.command}</code></Text>
          {result.telegramLink && (
            <Text mb="sm">{tm('linkCodeOpen')} <a href={result.telegramLink} target="_blank" rel="noreferrer">{result.telegramLink}</a></Text>
          )}
          <Text>{tm('linkCodeOnce')}</Text>
        </Box>
      ) : (
        <Button variant="primary" type="submit" disabled={busy}>{custom.kind === 'linkCode' ? tb('generate') : tb('submit')}</Button>
      )}
    </Box>
  );
};

export default ActionForm;
