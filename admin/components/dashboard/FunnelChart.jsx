import React from 'react';
import { BarChart, Bar, XAxis, YAxis, CartesianGrid, Tooltip, Cell, LabelList, ResponsiveContainer } from './recharts.js';
import { AXIS_STYLE } from './format.js';
import { Empty, TipBox } from './Panel.jsx';

// Customers in each stage, in the team's stage order, each bar in its stage's colour.
export const FunnelChart = ({ stages, f, tm }) => {
  if (!stages.some((s) => s.count)) return <Empty>{tm('dashNoCustomers')}</Empty>;
  const Tip = ({ active, payload }) => {
    if (!active || !payload?.length) return null;
    const s = payload[0].payload;
    return <TipBox title={s.name} rows={[[tm('dashCustomers'), f.number(s.count), s.color], [tm('dashRate'), f.percent(s.share)]]} />;
  };
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, stages.length * 40 + 48)}>
      <BarChart data={stages} layout="vertical" margin={{ top: 4, right: 96, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tickFormatter={f.number} tick={AXIS_STYLE} label={{ value: tm('dashAxisCustomers'), position: 'insideBottom', offset: -16, ...AXIS_STYLE }} />
        <YAxis type="category" dataKey="name" width={110} tick={AXIS_STYLE} interval={0} />
        <Tooltip content={<Tip />} cursor={{ fill: 'rgba(148,163,184,.15)' }} />
        <Bar dataKey="count" isAnimationActive={false} maxBarSize={28}>
          {stages.map((s) => <Cell key={s.name} fill={s.color} />)}
          <LabelList dataKey="count" position="right" content={({ x, y, width, height, index }) => {
            const s = stages[index];
            return <text x={x + width + 6} y={y + height / 2} dominantBaseline="middle" fontSize={12} fill="#334155">{`${f.number(s.count)} · ${f.percent(s.share)}`}</text>;
          }} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
};
