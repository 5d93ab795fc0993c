import React, { useEffect, useState } from 'react';
import { ApiClient, useTranslation } from 'adminjs';
import { Box, H3, H5, Text, Button } from '@adminjs/design-system';

const api = new ApiClient();
const pct = (x) => Math.round(x * 1000) / 10 + '%';
const money = (n) => new Intl.NumberFormat('vi-VN').format(n) + ' ₫';
const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

const Panel = ({ title, children, width = 1 }) => (
  <Box variant="white" p="lg" m="sm" style={{ flex: width, minWidth: 320 }}>
    <H5 mb="md">{title}</H5>
    {children}
  </Box>
);

const Bar = ({ label, value, max, color, text }) => (
  <Box flex alignItems="center" mb="xs">
    <Text style={{ width: 140, overflow: 'hidden', whiteSpace: 'nowrap' }}>{label}</Text>
    <div style={{ flex: 1, background: '#f1f5f9', height: 18, marginRight: 8 }}>
      <div style={{ width: (max ? (value / max) * 100 : 0) + '%', background: color, height: 18 }} />
    </div>
    <Text style={{ width: 110, textAlign: 'right' }}>{text}</Text>
  </Box>
);

// New customers per day, one stacked column per day, one colour per source.
const PerDay = ({ rows, tm }) => {
  const days = [...new Set(rows.map((r) => r.day))];
  const sources = [...new Set(rows.map((r) => r.source))];
  const totals = days.map((d) => rows.filter((r) => r.day === d).reduce((s, r) => s + r.count, 0));
  const max = Math.max(1, ...totals);
  if (!days.length) return <Text>{tm('dashNoData')}</Text>;
  return (
    <Box>
      <div style={{ display: 'flex', alignItems: 'flex-end', height: 140, gap: 2 }}>
        {days.map((d) => (
          <div key={d} title={d} style={{ flex: 1, display: 'flex', flexDirection: 'column-reverse' }}>
            {sources.map((s, i) => {
              const n = rows.find((r) => r.day === d && r.source === s)?.count || 0;
              return n ? <div key={s} title={`${d} · ${s}: ${n}`} style={{ height: (n / max) * 140, background: PALETTE[i % PALETTE.length] }} /> : null;
            })}
          </div>
        ))}
      </div>
      <Box flex mt="sm" style={{ flexWrap: 'wrap', gap: 12 }}>
        {sources.map((s, i) => <Text key={s}><span style={{ color: PALETTE[i % PALETTE.length] }}>■</span> {s}</Text>)}
      </Box>
    </Box>
  );
};

const Dashboard = () => {
  const { tm } = useTranslation();
  const [data, setData] = useState(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const load = (params) => api.getDashboard({ params }).then((res) => {
    setData(res.data);
    setFrom(res.data.period.from);
    setTo(res.data.period.to);
  });
  useEffect(() => { load({}); }, []);
  if (!data) return <Box p="xl"><Text>…</Text></Box>;

  const funnelMax = Math.max(1, ...data.funnel.map((s) => s.count));
  const convMax = Math.max(1, ...data.conversion.map((r) => r.total));
  const revenue = new Map(data.revenueBySource.map((r) => [r.name, r.revenue]));
  return (
    <Box p="lg" data-testid="dashboard">
      <Box flex alignItems="center" mb="lg" style={{ flexWrap: 'wrap', gap: 8 }}>
        <H3 mr="lg" mb="0">{tm(data.scope === 'own' ? 'dashOwn' : 'dashTeam')}</H3>
        <Text>{tm('dashPeriod')}:</Text>
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <Button size="sm" onClick={() => load({ from, to })}>OK</Button>
      </Box>
      {(data.alerts || []).map((a) => (
        <Box key={a.key} variant="white" p="lg" m="sm" data-testid="channel-alert" style={{ borderLeft: `4px solid ${a.kind === 'degraded' ? '#f59e0b' : '#dc2626'}` }}>
          <Text style={{ color: a.kind === 'degraded' ? '#b45309' : '#dc2626', fontWeight: 'bold' }}>{tm(a.kind === 'degraded' ? 'dashChannelDegraded' : 'dashZaloOaAlert')}</Text>
          <Text>{a.kind === 'degraded' ? `${a.channel}: ${a.message}` : `App ${a.appId}: ${a.code} ${a.message}`}</Text>
        </Box>
      ))}
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashOverdue')}><Text style={{ fontSize: 36, color: '#dc2626' }} data-testid="overdue">{data.overdue}</Text></Panel>
        <Panel title={tm('dashDormant')}><Text style={{ fontSize: 36, color: '#f59e0b' }} data-testid="dormant">{data.dormant}</Text></Panel>
      </Box>
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashFunnel')} width={1}>
          {data.funnel.map((s) => <Bar key={s.name} label={s.name} value={s.count} max={funnelMax} color={s.color} text={`${s.count} · ${pct(s.share)}`} />)}
        </Panel>
        <Panel title={tm('dashNewBySource')} width={1}><PerDay rows={data.perDay} tm={tm} /></Panel>
      </Box>
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashConversion')}>
          {data.conversion.length ? data.conversion.map((r) => (
            <Bar key={r.name} label={r.name} value={r.total} max={convMax} color="#2563eb" text={`${r.won}/${r.total} · ${pct(r.rate)}`} />
          )) : <Text>{tm('dashNoData')}</Text>}
          {data.revenueBySource.map((r) => <Text key={r.name}>{r.name}: {tm('dashRevenue')} {money(revenue.get(r.name) || 0)} ({r.deals} {tm('dashDeals')})</Text>)}
        </Panel>
        <Panel title={tm('dashPeople')}>
          <table style={{ width: '100%' }}>
            <thead><tr><th align="left"></th><th align="right">{tm('dashInteractions')}</th><th align="right">{tm('dashDeals')}</th><th align="right">{tm('dashRevenue')}</th></tr></thead>
            <tbody>
              {data.people.map((p) => (
                <tr key={p.name}><td>{p.name}</td><td align="right">{p.interactions}</td><td align="right">{p.deals}</td><td align="right">{money(p.revenue)}</td></tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </Box>
    </Box>
  );
};

export default Dashboard;
