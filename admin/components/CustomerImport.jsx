import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, Text } from '@adminjs/design-system';

const api = new ApiClient();
const COLORS = { create: '#15803d', merge: '#1d4ed8', refuse: '#b91c1c' };

// Choose a CSV, see what would happen row by row, then confirm. Nothing is written before that.
const CustomerImport = ({ resource, action }) => {
  const [csv, setCsv] = useState('');
  const [preview, setPreview] = useState(null);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const { tm, tb, ta } = useTranslation();

  const send = async (step) => {
    setBusy(true);
    try {
      const res = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: { step, csv } }).catch((e) => {
        // A refusal before the action ran (too large, session ended) still carries a notice.
        if (e.response && e.response.data && e.response.data.notice) return e.response;
        throw e;
      });
      if (res.data.notice) addNotice(res.data.notice);
      if (res.data.preview) setPreview(res.data.preview);
      if (res.data.result) {
        setResult(res.data.result);
        setPreview(null);
        addNotice({ message: 'importDone', type: 'success', options: res.data.result });
      }
    } finally {
      setBusy(false);
    }
  };

  const { maxBytes, maxText } = action.custom || {};
  const onFile = (e) => {
    const file = e.target.files[0];
    if (!file) return;
    setPreview(null);
    setResult(null);
    if (maxBytes && file.size > maxBytes) {
      setCsv('');
      addNotice({ message: 'crmError_panel_csvTooLarge', type: 'error', options: { max: maxText } });
      return;
    }
    file.text().then(setCsv);
  };

  // HH:mm dd/MM, in the browser's time zone.
  const when = (iso) => {
    const d = new Date(iso);
    const two = (n) => String(n).padStart(2, '0');
    return `${two(d.getHours())}:${two(d.getMinutes())} ${two(d.getDate())}/${two(d.getMonth() + 1)}`;
  };

  const rowText = (r) =>
    r.action === 'merge' ? tm('importMerge', resource.id, { code: r.existingCode })
      : r.action === 'create' ? tm('importCreate')
      : tm('importRefuse') + ': ' + tm('importReason_' + r.reason, resource.id, { line: r.duplicateOf });
  // B2B rows also say what happens to their company: joined to one on record, or created.
  const companyText = (r) =>
    !r.organization ? ''
      : r.organization.action === 'link' ? ' · ' + tm('importOrgLink', resource.id, { code: r.organization.code, name: r.organization.name })
      : ' · ' + tm('importOrgCreate', resource.id, { name: r.organization.name });

  return (
    <Box variant="white" p="xl">
      <H3>{ta(action.name, resource.id)}</H3>
      <Text mb="lg">{tm('importHelp')} {maxText ? tm('importLimit', resource.id, { max: maxText }) : null}</Text>
      <input type="file" accept=".csv,text/csv" name="csv" onChange={onFile} style={{ marginRight: 12 }} />
      <Button disabled={!csv || busy} onClick={() => send('preview')} data-testid="import-preview">{tb('preview')}</Button>
      {preview && (
        <Box mt="xl">
          {preview.unfinished && (
            <Text mb="md" p="md" style={{ background: '#fef3c7', borderLeft: '4px solid #d97706' }} data-testid="import-unfinished">
              {tm('importUnfinished', resource.id, { ...preview.unfinished, time: when(preview.unfinished.startedAt) })}
            </Text>
          )}
          <Text mb="md" data-testid="import-counts"><b>{tm('importCounts', resource.id, preview.counts)}</b></Text>
          <table style={{ borderCollapse: 'collapse', width: '100%', marginBottom: 16 }}>
            <tbody>
              {preview.rows.slice(0, 200).map((r) => (
                <tr key={r.line} style={{ borderBottom: '1px solid #eee' }}>
                  <td style={{ padding: 4, width: 50 }}>#{r.line}</td>
                  <td style={{ padding: 4 }}>{r.name}</td>
                  <td style={{ padding: 4 }}>{r.phone}</td>
                  <td style={{ padding: 4, color: COLORS[r.action] }}>{rowText(r)}{companyText(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Button variant="primary" disabled={busy || preview.counts.create + preview.counts.merge === 0} onClick={() => send('commit')} data-testid="import-confirm">{tb('importConfirm')}</Button>
        </Box>
      )}
      {result && <Text mt="xl" data-testid="import-result">{tm('importDone', resource.id, result)}{result.resumed ? ' ' + tm('importResumed') : null}</Text>}
    </Box>
  );
};

export default CustomerImport;
