import React, { useEffect, useRef, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, H5, Text } from '@adminjs/design-system';

const api = new ApiClient();
/** While a campaign is waiting or sending, the page asks again this often, so progress moves by itself. */
const POLL_MS = 2000;
const LIVE = ['scheduled', 'running'];
const REASONS = ['no_chat_id', 'opted_out', 'unreachable'];

// Recipient count, the filled-in message for a sample customer, progress, and the allowed controls.
const CampaignLaunch = ({ resource, action, record }) => {
  const [launch, setLaunch] = useState(null);
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const { tm, ta, tl } = useTranslation();
  const t = (key, params) => tm(key, resource.id, params);
  const alive = useRef(true);

  const call = async (data) => {
    if (data) setBusy(true);
    try {
      const res = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, ...(data ? { method: 'post', data } : {}) });
      if (!alive.current) return;
      if (res.data.launch) setLaunch(res.data.launch);
      if (res.data.notice) addNotice(res.data.notice);
    } finally {
      if (data) setBusy(false);
    }
  };
  useEffect(() => {
    alive.current = true;
    call();
    return () => { alive.current = false; };
  }, []);
  const live = launch && (LIVE.includes(launch.status) || launch.report.pending + launch.report.sending > 0);
  useEffect(() => {
    if (!live) return undefined;
    const timer = setTimeout(() => call(), POLL_MS);
    return () => clearTimeout(timer);
  }, [launch]);

  if (!launch) return <Box p="xl"><Text>…</Text></Box>;
  const r = launch.report;
  // Before sending, the page is about who will get what; from then on, about how it went.
  const sent = !['draft', 'scheduled'].includes(launch.status);
  const count = launch.count;
  const reason = (x) => {
    const key = 'campaignReason_' + x.reason.split(':')[0];
    const text = tm(key, resource.id);
    return text === key ? x.reason : text;
  };
  return (
    <Box variant="white" p="xl" data-testid="campaign-launch">
      <H3 data-testid="campaign-status">{record.title} · {tl('status.' + launch.status, resource.id)}</H3>
      {launch.status === 'scheduled' && launch.scheduledAt && <Text mb="lg" data-testid="campaign-scheduled">{t('campaignScheduledFor', { time: launch.scheduledAt, timezone: launch.timezone })}</Text>}
      {!sent && (
        <>
          <H5>{tm('campaignRecipients', resource.id)}</H5>
          <Box mb="lg" data-testid="recipient-count">
            <Text><b style={{ fontSize: 28 }}>{count ? count.total : '—'}</b>{' '}
              {count && Object.entries(count.byChannel).map(([c, n]) => `${tl('channel.' + c, resource.id)}: ${n}`).join(' · ')}</Text>
            {count && count.inSegment > count.total && (
              <Box mt="sm" p="md" style={{ background: '#fffbeb', borderLeft: '4px solid #d97706' }}>
                <Text><b>{t('campaignWhyNot')}</b></Text>
                {REASONS.filter((x) => count.notReachable[x] > 0).map((x) => <Text key={x}>• {t('campaignWhy_' + x, { count: count.notReachable[x] })}</Text>)}
              </Box>
            )}
          </Box>
          <H5>{tm('campaignPreview', resource.id)}</H5>
          <Box mb="lg" p="lg" style={{ background: '#f1f5f9', whiteSpace: 'pre-wrap' }} data-testid="campaign-preview">
            {launch.sample ? `${launch.sample.customer.name} (${launch.sample.customer.code}) · ${tl('channel.' + launch.sample.channel, resource.id)}\n\n${launch.sample.text}` : tm('campaignNoRecipient', resource.id)}
          </Box>
          {launch.unknownPlaceholders.length > 0 && <Text mb="lg" style={{ color: '#b91c1c' }}>{t('campaignProblem_placeholders', { placeholders: launch.unknownPlaceholders.join(', ') })}</Text>}
        </>
      )}
      {sent && (
        <>
          <H5>{tm('campaignProgress', resource.id)}</H5>
          <Text mb="sm" data-testid="campaign-progress">
            {launch.resolving
              ? t('campaignResolving')
              : t('campaignProgressLine', { sent: r.counters.sent, targeted: r.counters.targeted, failed: r.counters.failed, skipped: r.counters.skipped, pending: r.pending + r.sending })}
          </Text>
          {r.reasons.map((x) => <Text key={x.status + x.reason}>{tl('status.' + x.status, resource.id)} · {reason(x)}: {x.count}</Text>)}
          {(r.byChannel || []).length > 0 && (
            <Box mt="lg" data-testid="campaign-by-channel">
              <H5>{t('campaignReportByChannel')}</H5>
              <table style={{ borderCollapse: 'collapse', fontSize: 14 }}>
                <thead>
                  <tr>{['Channel', 'Sent', 'Delivered', 'Failed', 'Opened', 'Cost'].map((k) => <th key={k} style={{ textAlign: k === 'Channel' ? 'left' : 'right', padding: '4px 12px', borderBottom: '1px solid #cbd5e1' }}>{t('campaignReport' + k)}</th>)}</tr>
                </thead>
                <tbody>
                  {r.byChannel.map((c) => (
                    <tr key={c.channel}>
                      <td style={{ padding: '4px 12px' }}>{tl('channel.' + c.channel, resource.id)}</td>
                      {[c.sent, c.delivered, c.failed, c.channel === 'email' ? c.opened : '—', c.costVnd ? c.costVnd.toLocaleString('vi-VN') + ' đ' : '—'].map((v, i) => <td key={i} style={{ padding: '4px 12px', textAlign: 'right' }}>{v}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
              <Text color="grey60" mt="sm" style={{ maxWidth: 640 }}>{t('campaignReportNote')}</Text>
            </Box>
          )}
        </>
      )}
      {live && <Text color="grey60" mt="sm">{t('campaignAutoRefresh')}</Text>}
      <Box mt="xl" flex alignItems="center" style={{ gap: 8, flexWrap: 'wrap' }}>
        {launch.allowed.filter((op) => op !== 'schedule').map((op) => (
          <Button key={op} variant={op === 'cancel' ? 'danger' : 'primary'} disabled={busy} onClick={() => call({ op })} data-testid={'campaign-' + op}>{ta(op, resource.id)}</Button>
        ))}
        {launch.allowed.includes('schedule') && (
          <>
            {/* The picker's wall-clock value is sent as is: the server reads it on the company's clock. */}
            <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} aria-label={t('campaignSendAt')} data-testid="campaign-at" />
            <Button disabled={busy || !at} onClick={() => call({ op: 'schedule', at })}>{ta('schedule', resource.id)}</Button>
            <Text color="grey60">{t('campaignLaunchAtHelp', { timezone: launch.timezone })}</Text>
          </>
        )}
      </Box>
    </Box>
  );
};

export default CampaignLaunch;
