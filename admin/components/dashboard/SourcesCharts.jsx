import React from 'react';
import { BarChart, Bar, XAxis, YAxis, CartesianGrid, Tooltip, Cell, LabelList, ResponsiveContainer } from './recharts.js';
import { Box, Text } from '@adminjs/design-system';
import { AXIS_STYLE } from './format.js';
import { Empty, TipBox } from './Panel.jsx';

const height = (rows) => Math.max(140, rows.length * 40 + 56);

// A label drawn right of each bar, so a bar of zero length still says what it is.
const sideLabel = (text) => ({ x, y, width, height: h, index }) => (
  <text x={x + width + 6} y={y + h / 2} dominantBaseline="middle" fontSize={12} fill="#334155">{text(index)}</text>
);

/**
 * Per source, two charts one under the other: the conversion rate (bar length is the rate, 0–100 %,
 * so a source at 0 % has no bar whatever its number of customers) and the revenue its deals brought.
 */
export const SourcesCharts = ({ rows, colour, f, tm }) => {
  if (!rows.length) return <Empty>{tm('dashNoSources')}</Empty>;
  const Tip = ({ active, payload }) => {
    if (!active || !payload?.length) return null;
    const r = payload[0].payload;
    return (
      <TipBox
        title={r.name}
        rows={[
          [tm('dashRate'), f.percent(r.rate), colour(r.name)],
          [tm('dashWon'), tm('dashWonOfTotal', undefined, { won: f.number(r.won), total: f.number(r.total) })],
          [tm('dashRevenue'), f.money(r.revenue)],
          [tm('dashDeals'), f.number(r.deals)],
        ]}
      />
    );
  };
  const byRevenue = [...rows].sort((a, b) => b.revenue - a.revenue);
  return (
    <Box>
      <Text mb="xs" style={{ fontWeight: 600 }}>{tm('dashAxisRate')}</Text>
      <div data-testid="chart-rate">
        <ResponsiveContainer width="100%" height={height(rows)}>
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 120, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={f.percent} tick={AXIS_STYLE} label={{ value: tm('dashAxisRate'), position: 'insideBottom', offset: -16, ...AXIS_STYLE }} />
            <YAxis type="category" dataKey="name" width={110} tick={AXIS_STYLE} interval={0} />
            <Tooltip content={<Tip />} cursor={{ fill: 'rgba(148,163,184,.15)' }} />
            <Bar dataKey="rate" isAnimationActive={false} maxBarSize={26} minPointSize={0}>
              {rows.map((r) => <Cell key={r.name} fill={colour(r.name)} />)}
              <LabelList dataKey="rate" content={sideLabel((i) => `${f.percent(rows[i].rate)} · ${f.number(rows[i].won)}/${f.number(rows[i].total)}`)} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Text mt="lg" mb="xs" style={{ fontWeight: 600 }}>{tm('dashRevenueBySource')}</Text>
      <div data-testid="chart-revenue">
        {byRevenue.some((r) => r.revenue) ? <RevenueChart rows={byRevenue} Tip={Tip} colour={colour} f={f} tm={tm} /> : <Empty>{tm('dashNoRevenue')}</Empty>}
      </div>
    </Box>
  );
};

const RevenueChart = ({ rows, Tip, colour, f, tm }) => (
  <ResponsiveContainer width="100%" height={height(rows)}>
    <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 120, bottom: 24, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" tickFormatter={f.moneyShort} tick={AXIS_STYLE} label={{ value: tm('dashAxisRevenue'), position: 'insideBottom', offset: -16, ...AXIS_STYLE }} />
      <YAxis type="category" dataKey="name" width={110} tick={AXIS_STYLE} interval={0} />
      <Tooltip content={<Tip />} cursor={{ fill: 'rgba(148,163,184,.15)' }} />
      <Bar dataKey="revenue" isAnimationActive={false} maxBarSize={26}>
        {rows.map((r) => <Cell key={r.name} fill={colour(r.name)} />)}
        <LabelList dataKey="revenue" content={sideLabel((i) => f.money(rows[i].revenue))} />
      </Bar>
    </BarChart>
  </ResponsiveContainer>
);
