import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, H5, Text } from '@adminjs/design-system';

const api = new ApiClient();

// Recipient count, the filled-in message for a sample customer, progress, and the allowed controls.
const CampaignLaunch = ({ resource, action, record }) => {
  const [launch, setLaunch] = useState(null);
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const { tm, tb, ta, tl } = useTranslation();

  const call = async (data) => {
    setBusy(true);
    try {
      const res = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, ...(data ? { method: 'post', data } : {}) });
      if (res.data.launch) setLaunch(res.data.launch);
      if (res.data.notice) addNotice(res.data.notice);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => { call(); }, []);
  if (!launch) return <Box p="xl"><Text>…</Text></Box>;
  const r = launch.report;
  return (
    <Box variant="white" p="xl" data-testid="campaign-launch">
      <H3>{record.title} · {tl('status.' + launch.status)}</H3>
      <H5>{tm('campaignRecipients')}</H5>
      <Text mb="lg" data-testid="recipient-count">
        <b style={{ fontSize: 28 }}>{launch.count ? launch.count.total : '—'}</b>{' '}
        {launch.count && Object.entries(launch.count.byChannel).map(([c, n]) => `${tl('channel.' + c)}: ${n}`).join(' · ')}
      </Text>
      <H5>{tm('campaignPreview')}</H5>
      <Box mb="lg" p="lg" style={{ background: '#f1f5f9', whiteSpace: 'pre-wrap' }} data-testid="campaign-preview">
        {launch.sample ? `${launch.sample.customer.name} (${launch.sample.customer.code}) · ${tl('channel.' + launch.sample.channel)}\n\n${launch.sample.text}` : tm('campaignNoRecipient')}
      </Box>
      {launch.unknownPlaceholders.length > 0 && <Text mb="lg" style={{ color: '#b91c1c' }}>{tm('campaignUnknown')}: {launch.unknownPlaceholders.join(', ')}</Text>}
      <H5>{tm('campaignProgress')}</H5>
      <Text mb="sm">
        {tl('status.sent')}: {r.counters.sent} · {tl('status.failed')}: {r.counters.failed} · {tl('status.skipped')}: {r.counters.skipped} · {tl('status.pending')}: {r.pending} / {r.counters.targeted}
      </Text>
      {r.reasons.map((x) => <Text key={x.status + x.reason}>{tl('status.' + x.status)} · {x.reason}: {x.count}</Text>)}
      <Box mt="xl" flex alignItems="center" style={{ gap: 8, flexWrap: 'wrap' }}>
        {launch.allowed.filter((op) => op !== 'schedule').map((op) => (
          <Button key={op} variant={op === 'cancel' ? 'danger' : 'primary'} disabled={busy} onClick={() => call({ op })} data-testid={'campaign-' + op}>{ta(op, resource.id)}</Button>
        ))}
        {launch.allowed.includes('schedule') && (
          <>
            <input type="datetime-local" onChange={(e) => setAt(e.target.value ? new Date(e.target.value).toISOString() : '')} />
            <Button disabled={busy || !at} onClick={() => call({ op: 'schedule', at })}>{ta('schedule', resource.id)}</Button>
          </>
        )}
      </Box>
    </Box>
  );
};

export default CampaignLaunch;
