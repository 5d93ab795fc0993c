import React from 'react';
import { Empty } from './Panel.jsx';

// The dashboard tables' cells, shared with the pipeline section's tables.
export const cell = { padding: '6px 8px', borderBottom: '1px solid #e2e8f0' };
export const num = { ...cell, textAlign: 'right', whiteSpace: 'nowrap' };
export const head = { ...cell, color: '#475569', fontWeight: 600, borderBottom: '2px solid #cbd5e1' };

// A figure with a thin bar under it, as long as its share of the column's largest value.
const Figure = ({ value, max, text, colour = '#2563eb' }) => (
  <div>
    {text}
    <div style={{ height: 3, marginTop: 2, background: '#f1f5f9' }}>
      <div style={{ height: 3, width: `${max ? (value / max) * 100 : 0}%`, background: colour, marginLeft: 'auto' }} />
    </div>
  </div>
);

const maxOf = (rows, key) => Math.max(0, ...rows.map((r) => r[key]));

export const PeopleTable = ({ rows, f, tm }) => {
  if (!rows.length) return <Empty>{tm('dashNoPeople')}</Empty>;
  const max = { interactions: maxOf(rows, 'interactions'), deals: maxOf(rows, 'deals'), revenue: maxOf(rows, 'revenue') };
  return (
    <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }} data-testid="people-table">
      <thead>
        <tr>
          <th style={{ ...head, textAlign: 'left' }}>{tm('dashSalesperson')}</th>
          <th style={{ ...head, textAlign: 'right' }}>{tm('dashInteractions')}</th>
          <th style={{ ...head, textAlign: 'right' }}>{tm('dashDeals')}</th>
          <th style={{ ...head, textAlign: 'right' }}>{tm('dashRevenue')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.name}>
            <td style={cell}>{p.name}</td>
            <td style={num}><Figure value={p.interactions} max={max.interactions} text={f.number(p.interactions)} colour="#0891b2" /></td>
            <td style={num}><Figure value={p.deals} max={max.deals} text={f.number(p.deals)} colour="#16a34a" /></td>
            <td style={num}><Figure value={p.revenue} max={max.revenue} text={f.money(p.revenue)} colour="#f59e0b" /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

export const ReferrerTable = ({ rows, f, tm }) => {
  if (!rows.length) return <Empty>{tm('dashNoReferrals')}</Empty>;
  const max = { customers: maxOf(rows, 'customers'), revenue: maxOf(rows, 'revenue') };
  return (
    <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }} data-testid="referrer-table">
      <thead>
        <tr>
          <th style={{ ...head, textAlign: 'left' }}>{tm('dashReferrer')}</th>
          <th style={{ ...head, textAlign: 'left' }}>{tm('dashReferrerKind')}</th>
          <th style={{ ...head, textAlign: 'right' }}>{tm('dashCustomers')}</th>
          <th style={{ ...head, textAlign: 'right' }}>{tm('dashWon')}</th>
          <th style={{ ...head, textAlign: 'right' }}>{tm('dashRevenue')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.kind}:${r.name}`}>
            <td style={cell}>{r.name}</td>
            <td style={cell}>{tm(`dashReferrerKind_${r.kind}`)}</td>
            <td style={num}><Figure value={r.customers} max={max.customers} text={f.number(r.customers)} colour="#2563eb" /></td>
            <td style={num}>{`${f.number(r.won)} (${f.percent(r.customers ? r.won / r.customers : 0)})`}</td>
            <td style={num}><Figure value={r.revenue} max={max.revenue} text={f.money(r.revenue)} colour="#f59e0b" /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
