import React from 'react';
import { Box, Text } from '@adminjs/design-system';
import { BarChart, Bar, XAxis, YAxis, CartesianGrid, Tooltip, Legend, Cell, ResponsiveContainer } from './recharts.js';
import { AXIS_STYLE, localeOf } from './format.js';
import { Panel, Empty, TipBox } from './Panel.jsx';
import { cell, num, head } from './Tables.jsx';


// Per open step, two bars: all the open value (pale, in the step's colour) and the part the
// probabilities make likely (full colour), so the gap between them is the risk at that step.
const StagesChart = ({ rows, f, tm }) => {
  if (!rows.length) return <Empty>{tm('dashNoData')}</Empty>;
  const Tip = ({ active, payload }) => {
    if (!active || !payload?.length) return null;
    const r = payload[0].payload;
    return <TipBox title={r.name} rows={[[tm('dashOppCount'), f.number(r.count)], [tm('dashOppTotal'), f.money(r.total)], [tm('dashOppWeighted'), f.money(r.weighted), r.color]]} />;
  };
  return (
    <div data-testid="chart-pipeline">
      <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 56 + 70)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={f.moneyShort} tick={AXIS_STYLE} />
          <YAxis type="category" dataKey="name" width={130} tick={AXIS_STYLE} interval={0} />
          <Tooltip content={<Tip />} cursor={{ fill: 'rgba(148,163,184,.15)' }} />
          <Legend payload={[{ value: tm('dashOppTotal'), type: 'square', color: '#cbd5e1' }, { value: tm('dashOppWeighted'), type: 'square', color: '#2563eb' }]} />
          <Bar dataKey="total" name={tm('dashOppTotal')} isAnimationActive={false} maxBarSize={18}>
            {rows.map((r) => <Cell key={r.name} fill={r.color} fillOpacity={0.3} />)}
          </Bar>
          <Bar dataKey="weighted" name={tm('dashOppWeighted')} isAnimationActive={false} maxBarSize={18}>
            {rows.map((r) => <Cell key={r.name} fill={r.color} />)}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }} data-testid="pipeline-table">
        <thead>
          <tr>
            <th style={{ ...head, textAlign: 'left' }}>{tm('dashStage')}</th>
            <th style={{ ...head, textAlign: 'right' }}>{tm('dashOppCount')}</th>
            <th style={{ ...head, textAlign: 'right' }}>{tm('dashOppTotal')}</th>
            <th style={{ ...head, textAlign: 'right' }}>{tm('dashOppWeighted')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td style={cell}><span style={{ color: r.color }}>■ </span>{r.name}</td>
              <td style={num}>{f.number(r.count)}</td>
              <td style={num}>{f.money(r.total)}</td>
              <td style={num}>{f.money(r.weighted)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

// mm/yyyy as Vietnamese write a month.
const monthText = (month) => `${month.slice(5, 7)}/${month.slice(0, 4)}`;

const Forecast = ({ months, f, tm }) => (
  <Box flex style={{ gap: 16, flexWrap: 'wrap' }} data-testid="forecast">
    {months.map((m) => (
      <Box key={m.month} p="lg" style={{ flex: '1 1 200px', border: '1px solid #e2e8f0', borderRadius: 6 }} data-testid={'forecast-' + m.month}>
        <Text style={{ color: '#475569' }}>{tm('dashForecastMonth', undefined, { month: monthText(m.month) })}</Text>
        <Text style={{ fontSize: 28, fontWeight: 600, color: '#2563eb' }}>{f.money(m.weighted)}</Text>
        <Text style={{ fontSize: 13, color: '#64748b' }}>{tm('dashForecastCount', undefined, { count: f.number(m.count), total: f.money(m.total) })}</Text>
      </Box>
    ))}
  </Box>
);

const OutcomeTable = ({ title, column, rows, f, tm, testId }) => (
  <Box mb="lg" data-testid={testId}>
    <Text mb="xs" style={{ fontWeight: 600 }}>{title}</Text>
    {rows.length ? (
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }}>
        <thead>
          <tr>
            <th style={{ ...head, textAlign: 'left' }}>{column}</th>
            <th style={{ ...head, textAlign: 'right' }}>{tm('dashOppWon')}</th>
            <th style={{ ...head, textAlign: 'right' }}>{tm('dashOppLost')}</th>
            <th style={{ ...head, textAlign: 'right' }}>{tm('dashWinRate')}</th>
            <th style={{ ...head, textAlign: 'right' }}>{tm('dashCycle')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td style={cell}>{r.name}</td>
              <td style={num}>{f.number(r.won)}</td>
              <td style={num}>{f.number(r.lost)}</td>
              <td style={num}>{f.percent(r.winRate)}</td>
              <td style={num}>{r.cycleDays === null ? '—' : f.number1(r.cycleDays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : <Empty>{tm('dashNoClosed')}</Empty>}
  </Box>
);

/** The B2B pipeline under the customer charts: shown only once the team has opportunities. */
export const PipelineSection = ({ data, f, tm, named, lang }) => {
  if (!data) return null;
  const rename = (rows, fallback) => rows.map((r) => ({ ...r, name: named(fallback)(r.name) }));
  const one = new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 1 });
  const fx = { ...f, number1: (n) => one.format(n) };
  return (
    <Box data-testid="pipeline-section">
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashPipeline')} testId="pipeline-stages" help={tm('dashPipelineHelp')}><StagesChart rows={data.stages} f={fx} tm={tm} /></Panel>
        <Panel title={tm('dashForecast')} testId="pipeline-forecast"><Forecast months={data.forecast} f={fx} tm={tm} /></Panel>
      </Box>
      <Box flex style={{ flexWrap: 'wrap' }}>
        <Panel title={tm('dashOutcomes')} width={2} testId="pipeline-outcomes" help={tm('dashOutcomesHelp')}>
          <Box flex style={{ gap: 24, flexWrap: 'wrap' }}>
            <Box style={{ flex: '1 1 320px' }}><OutcomeTable title={tm('dashBySource')} column={tm('dashOutcomeSource')} rows={rename(data.bySource, 'dashNoSource')} f={fx} tm={tm} testId="outcomes-source" /></Box>
            <Box style={{ flex: '1 1 320px' }}><OutcomeTable title={tm('dashBySalesperson')} column={tm('dashOutcomeSalesperson')} rows={rename(data.bySalesperson, 'dashUnknown')} f={fx} tm={tm} testId="outcomes-people" /></Box>
          </Box>
        </Panel>
      </Box>
    </Box>
  );
};
