import React, { useEffect, useState } from 'react';
import { ApiClient, ViewHelpers, useTranslation } from 'adminjs';
import { Box, H3, Text, Button } from '@adminjs/design-system';
import { formats, colourOf } from './dashboard/format.js';
import { Panel } from './dashboard/Panel.jsx';
import { KpiTiles } from './dashboard/KpiTiles.jsx';
import { NewCustomersChart } from './dashboard/NewCustomersChart.jsx';
import { FunnelChart } from './dashboard/FunnelChart.jsx';
import { SourcesCharts } from './dashboard/SourcesCharts.jsx';
import { PeopleTable, ReferrerTable } from './dashboard/Tables.jsx';
import { PipelineSection } from './dashboard/PipelineSection.jsx';

const api = new ApiClient();

// Pictures of the team's (or, for a salesperson, their own) figures for a period, computed by
// admin/dashboard.ts; the charts are recharts SVG, drawn with no animation so what is printed or
// captured is final.
const Dashboard = () => {
  const { tm, i18n } = useTranslation();
  const [data, setData] = useState(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const load = (params) => api.getDashboard({ params }).then((res) => {
    setData(res.data);
    setFrom(res.data.period.from);
    setTo(res.data.period.to);
  });
  useEffect(() => { load({}); }, []);
  if (!data) return <Box p="xl"><Text>{tm('dashLoading')}</Text></Box>;

  const f = formats(i18n.language);
  // The reports name a missing source or referrer (none set, or since deleted) '—': say so in words.
  const named = (fallback) => (name) => (name === '—' ? tm(fallback) : name);
  const sourceName = named('dashNoSource');
  const perDay = data.perDay.map((r) => ({ ...r, source: sourceName(r.source) }));
  const sources = data.sources.map((r) => ({ ...r, name: sourceName(r.name) }));
  const referrers = data.referrers.map((r) => ({ ...r, name: named('dashUnknown')(r.name) }));
  // Sources get their colour once: the daily chart and the per-source charts agree.
  const colour = colourOf([...sources.map((s) => s.name), ...perDay.map((r) => r.source)]);
  return (
    <Box p="lg" data-testid="dashboard">
      <Box flex alignItems="center" mb="lg" style={{ flexWrap: 'wrap', gap: 8 }}>
        <H3 mr="lg" mb="0">{tm(data.scope === 'own' ? 'dashOwn' : 'dashTeam')}</H3>
        <Text>{tm('dashPeriod')}:</Text>
        <input type="date" aria-label="from" data-testid="period-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        <span>–</span>
        <input type="date" aria-label="to" data-testid="period-to" value={to} onChange={(e) => setTo(e.target.value)} />
        <Button size="sm" data-testid="period-apply" onClick={() => load({ from, to })}>{tm('dashApply')}</Button>
      </Box>
      {(data.alerts || []).map((a) => (
        <Box key={a.key} variant="white" p="lg" m="sm" data-testid="channel-alert" style={{ borderLeft: `4px solid ${a.kind === 'degraded' ? '#f59e0b' : '#dc2626'}` }}>
          <Text style={{ color: a.kind === 'degraded' ? '#b45309' : '#dc2626', fontWeight: 'bold' }}>{tm(a.kind === 'degraded' ? 'dashChannelDegraded' : 'dashZaloOaAlert')}</Text>
          <Text>{a.kind === 'degraded' ? `${a.channel}: ${a.message}` : `App ${a.appId}: ${a.code} ${a.message}`}</Text>
        </Box>
      ))}
      <KpiTiles summary={data.summary} period={data.period} previousPeriod={data.previousPeriod} days={data.days.length} f={f} tm={tm} />
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashOverdue')} testId="overdue-panel"><Text style={{ fontSize: 36, color: '#dc2626' }} data-testid="overdue">{f.number(data.overdue)}</Text></Panel>
        <Panel title={tm('dashDormant')} testId="dormant-panel"><Text style={{ fontSize: 36, color: '#f59e0b' }} data-testid="dormant">{f.number(data.dormant)}</Text></Panel>
        {/* The person's unread comments ("Mới cập nhật"), with the customers to open. */}
        <Panel title={tm('cmUnreadTitle')} testId="unread-panel">
          <Text style={{ fontSize: 36, color: '#2563eb' }} data-testid="unread">{f.number(data.unread?.total || 0)}</Text>
          {(data.unread?.customers || []).map((c) => <Text key={c._id} variant="sm"><a href={new ViewHelpers().recordActionUrl({ resourceId: 'Customer', recordId: c._id, actionName: 'show' })}>{c.code} · {c.name} ({c.unread})</a></Text>)}
        </Panel>
      </Box>
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashNewBySource')} width={2} testId="chart-per-day">
          <NewCustomersChart days={data.days} rows={perDay} colour={colour} f={f} tm={tm} />
        </Panel>
      </Box>
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashFunnel')} testId="chart-funnel"><FunnelChart stages={data.funnel} f={f} tm={tm} /></Panel>
        <Panel title={tm('dashConversion')} testId="chart-sources" help={tm('dashRateHelp')}>
          <SourcesCharts rows={sources} colour={colour} f={f} tm={tm} />
        </Panel>
      </Box>
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashPeople')} testId="people"><PeopleTable rows={data.people} f={f} tm={tm} /></Panel>
        <Panel title={tm('dashReferrers')} testId="referrers"><ReferrerTable rows={referrers} f={f} tm={tm} /></Panel>
      </Box>
      <PipelineSection data={data.pipeline} f={f} tm={tm} named={named} lang={i18n.language} />
    </Box>
  );
};

export default Dashboard;
