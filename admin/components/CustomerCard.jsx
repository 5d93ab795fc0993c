import React from 'react';
import { useTranslation } from 'adminjs';
import { Box, H3, H5, Text } from '@adminjs/design-system';

const fmt = (d) => (d ? new Date(d).toLocaleString('vi-VN') : '');
const money = (n) => new Intl.NumberFormat('vi-VN').format(n) + ' ₫';

const Section = ({ title, children }) => (
  <Box mt="xl">
    <H5 mb="sm">{title}</H5>
    {children && children.length ? children : <Text color="grey60">—</Text>}
  </Box>
);

// The customer card: details, stage history, interactions, follow-ups and deals on one page.
const CustomerCard = ({ record }) => {
  const { tm, tp, tl } = useTranslation();
  const { card, history } = JSON.parse(record.params.cardJson || '{}');
  if (!card) return null;
  const c = card.customer;
  const rows = [
    ['code', c.code], ['phones', (c.phones || []).join(', ')], ['email', c.email], ['owner', card.owner?.name], ['source', card.source?.name],
    ['groups', card.groups.map((g) => g.name).join(', ')], ['need', c.need], ['notes', c.notes], ['lastContactAt', fmt(c.lastContactAt)], ['createdAt', fmt(c.createdAt)],
  ];
  return (
    <Box variant="white" p="xl" data-testid="customer-card">
      <H3>
        {c.name}{' '}
        {card.stage && <span style={{ background: card.stage.color, color: '#fff', borderRadius: 4, padding: '2px 8px', fontSize: 14 }}>{card.stage.name}</span>}
      </H3>
      <table><tbody>
        {rows.filter(([, v]) => v).map(([k, v]) => (
          <tr key={k}><td style={{ paddingRight: 16, color: '#666' }}>{tp(k, 'Customer')}</td><td>{v}</td></tr>
        ))}
      </tbody></table>
      <Section title={tm('cardFollowUps')}>
        {card.activeFollowUps.map((f) => <Text key={f._id}>{fmt(f.dueAt)} · {tl('type.' + f.type)} · {f.note}</Text>)}
      </Section>
      <Section title={tm('cardHistory')}>
        {(history || []).map((h) => (
          <Text key={h._id}>{fmt(h.at)} · {h.from?.name || '—'} → <b style={{ color: h.to?.color }}>{h.to?.name}</b> · {h.by?.name || tm('cardSystem')}</Text>
        ))}
      </Section>
      <Section title={tm('cardInteractions')}>
        {card.lastInteractions.map((i) => <Text key={i._id}>{fmt(i.occurredAt)} · {tl('type.' + i.type)} · {i.text}</Text>)}
      </Section>
      <Section title={tm('cardDeals')}>
        {card.deals.map((d) => <Text key={d._id}>{fmt(d.closedAt)} · {money(d.amount)}</Text>)}
      </Section>
    </Box>
  );
};

export default CustomerCard;
