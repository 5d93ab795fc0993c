import React from 'react';
import { Box, Text } from '@adminjs/design-system';

// The period against the one of the same length just before it. Counts and money change by a
// percentage; the conversion rate, itself a percentage, changes by points.
const TILES = [
  { key: 'newCustomers', label: 'dashKpiNewCustomers', show: 'number' },
  { key: 'conversionRate', label: 'dashKpiConversion', show: 'percent', points: true },
  { key: 'interactions', label: 'dashKpiInteractions', show: 'number' },
  { key: 'wonDeals', label: 'dashKpiWonDeals', show: 'number' },
  { key: 'revenue', label: 'dashKpiRevenue', show: 'money' },
];

const UP = '#15803d';
const DOWN = '#b91c1c';
const SAME = '#64748b';

function change(current, previous, points, f, tm) {
  if (current === previous) return { arrow: '=', colour: SAME, text: tm('dashUnchanged') };
  const up = current > previous;
  const arrow = up ? '▲' : '▼';
  const colour = up ? UP : DOWN;
  if (points) return { arrow, colour, text: tm('dashPoints', undefined, { value: f.points(current - previous) }) };
  if (!previous) return { arrow, colour, text: tm('dashNewVsZero') };
  const ratio = (current - previous) / previous;
  return { arrow, colour, text: `${ratio > 0 ? '+' : '−'}${f.percent(Math.abs(ratio))}` };
}

export const KpiTiles = ({ summary, period, previousPeriod, days, f, tm }) => (
  <Box mx="sm" mb="sm">
    <Text mb="sm" style={{ color: '#475569' }} data-testid="period-compared">{tm('dashCompare', undefined, { from: f.date(period.from), to: f.date(period.to), days: f.number(days), prevFrom: f.date(previousPeriod.from), prevTo: f.date(previousPeriod.to) })}</Text>
    <Box flex style={{ flexWrap: 'wrap', gap: 12 }}>
      {TILES.map((tile) => {
        const current = summary.current[tile.key];
        const previous = summary.previous[tile.key];
        const c = change(current, previous, tile.points, f, tm);
        return (
          <Box key={tile.key} variant="white" p="lg" style={{ flex: 1, minWidth: 180 }} data-testid={`kpi-${tile.key}`}>
            <Text style={{ color: '#475569', fontSize: 13 }}>{tm(tile.label)}</Text>
            <Text style={{ fontSize: 28, fontWeight: 600, margin: '4px 0' }} data-testid="kpi-value">{f[tile.show](current)}</Text>
            <Text style={{ color: c.colour, fontSize: 13 }} data-testid="kpi-change">
              <span aria-hidden="true">{c.arrow}</span> {c.text}
            </Text>
            <Text style={{ color: '#64748b', fontSize: 12 }}>{tm('dashPrevious', undefined, { value: f[tile.show](previous) })}</Text>
          </Box>
        );
      })}
    </Box>
  </Box>
);
