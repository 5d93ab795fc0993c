import React from 'react';
import { BarChart, Bar, XAxis, YAxis, CartesianGrid, Tooltip, Legend, ResponsiveContainer } from './recharts.js';
import { AXIS_STYLE } from './format.js';
import { Empty, TipBox } from './Panel.jsx';

// New customers per day, one stacked column per day and one colour per source, on a date axis
// that covers every day of the period (days without customers stay visible as gaps).
export const NewCustomersChart = ({ days, rows, colour, f, tm }) => {
  if (!rows.length) return <Empty>{tm('dashNoNewCustomers')}</Empty>;
  const sources = [...new Set(rows.map((r) => r.source))];
  const byDay = new Map(days.map((day) => [day, { day }]));
  for (const r of rows) {
    const point = byDay.get(r.day);
    if (point) point[r.source] = r.count;
  }
  const data = [...byDay.values()];
  const Tip = ({ active, payload, label }) => {
    if (!active || !payload?.length) return null;
    const present = payload.filter((p) => p.value);
    const total = present.reduce((n, p) => n + p.value, 0);
    return <TipBox title={f.longDay(label)} rows={[...present.map((p) => [p.name, f.number(p.value), p.color]), [tm('dashNewCustomersTotal'), f.number(total)]]} />;
  };
  return (
    <ResponsiveContainer width="100%" height={300}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={f.day} tick={AXIS_STYLE} minTickGap={12} label={{ value: tm('dashAxisDay'), position: 'insideBottom', offset: -16, ...AXIS_STYLE }} />
        <YAxis allowDecimals={false} tickFormatter={f.number} tick={AXIS_STYLE} width={48} label={{ value: tm('dashAxisNewCustomers'), angle: -90, position: 'insideLeft', style: { textAnchor: 'middle', ...AXIS_STYLE } }} />
        <Tooltip content={<Tip />} cursor={{ fill: 'rgba(148,163,184,.15)' }} />
        <Legend verticalAlign="top" height={28} />
        {sources.map((s) => (
          <Bar key={s} dataKey={s} name={s} stackId="day" fill={colour(s)} maxBarSize={48} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
};
