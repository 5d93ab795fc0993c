import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, Text, Input, Label } from '@adminjs/design-system';
import { formats } from './dashboard/format.js';

const api = new ApiClient();

// The opportunity board (Kommo-like): a column per step, cards dragged between them. Every drop
// is sent to the server, which moves the card through crm/opportunities and answers with the
// whole board: a refused move simply comes back where it was, with the reason as a notice.
// A drop on a won step first asks the final amount, on a lost step the reason.
const OpportunityBoard = ({ resource, action }) => {
  const [board, setBoard] = useState(null);
  const [dragged, setDragged] = useState(null);
  const [over, setOver] = useState(null);
  const [ask, setAsk] = useState(null);
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const { tm, tb, i18n } = useTranslation();
  const f = formats(i18n.language);

  const call = (method, data, params) => api.resourceAction({ resourceId: resource.id, actionName: action.name, method, data, params });
  const load = (owner) => call('get', undefined, owner ? { owner } : {}).then((res) => setBoard(res.data));
  useEffect(() => { load(''); }, []);
  if (!board) return <Box p="xl"><Text>…</Text></Box>;

  const send = async (card, column, extra) => {
    setBusy(true);
    // Drawn at once in its new column; the server's answer replaces the whole board.
    setBoard({ ...board, columns: board.columns.map((c) => ({ ...c, cards: c.id === column.id ? [card, ...c.cards.filter((x) => x.id !== card.id)] : c.cards.filter((x) => x.id !== card.id) })) });
    try {
      const res = await call('post', { id: card.id, stage: column.id, owner: board.owner, ...extra });
      setBoard(res.data);
      if (res.data.notice) addNotice(res.data.notice);
    } catch {
      await load(board.owner);
    } finally {
      setBusy(false);
    }
  };

  const drop = (column) => {
    const from = dragged;
    setDragged(null);
    setOver(null);
    moveCard(from, column);
  };

  // The drop, and the same move chosen from a card's menu (keyboards and phones, where dragging does not work).
  const moveCard = (from, column) => {
    if (!from || busy || from.column === column.id) return;
    if (column.kind === 'won' || column.kind === 'lost') {
      setAnswer(column.kind === 'won' ? String(from.card.value || '') : '');
      setAsk({ card: from.card, column });
      return;
    }
    send(from.card, column, {});
  };

  const confirm = (e) => {
    e.preventDefault();
    const { card, column } = ask;
    setAsk(null);
    send(card, column, column.kind === 'won' ? { amount: answer } : { reason: answer });
  };
  const cancel = () => {
    setAsk(null);
    addNotice({ message: tm('oppCancelled'), type: 'info' });
  };

  return (
    <Box p="lg" data-testid="opportunity-board">
      <Box flex alignItems="center" mb="md" style={{ gap: 12, flexWrap: 'wrap' }}>
        {board.owners.length ? (
          <label style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
            <span>{tm('oppOwnerFilter')}:</span>
            <select data-testid="owner-filter" value={board.owner} onChange={(e) => load(e.target.value)} style={{ padding: '4px 8px' }}>
              <option value="">{tm('oppAllOwners')}</option>
              {board.owners.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          </label>
        ) : null}
      </Box>
      <Text mb="lg" style={{ color: '#475569' }}>{tm('oppBoardHelp')}</Text>
      <div style={{ display: 'flex', gap: 12, overflowX: 'auto', alignItems: 'flex-start', paddingBottom: 8 }}>
        {board.columns.map((column) => (
          <div
            key={column.id}
            data-testid={'column-' + column.name}
            data-kind={column.kind}
            onDragOver={(e) => { e.preventDefault(); setOver(column.id); }}
            onDragLeave={() => setOver((o) => (o === column.id ? null : o))}
            onDrop={(e) => { e.preventDefault(); drop(column); }}
            style={{ flex: '1 1 0', minWidth: 170, background: over === column.id ? '#e0e7ff' : '#f1f5f9', borderRadius: 6, borderTop: `4px solid ${column.color}`, minHeight: 320, padding: 8 }}
          >
            <div style={{ fontWeight: 600, marginBottom: 2 }}>{column.name} <span style={{ color: '#64748b', fontWeight: 400 }}>({f.number(column.count)})</span></div>
            <div style={{ fontSize: 12, color: '#475569', marginBottom: 8 }} data-testid="column-totals">
              <div>{tm('oppColumnTotal')}: <b>{f.money(column.total)}</b></div>
              {column.kind === 'open' ? <div>{tm('oppColumnWeighted')}: <b>{f.money(column.weighted)}</b></div> : null}
            </div>
            {column.cards.length ? null : <div style={{ color: '#94a3b8', fontSize: 13, padding: '12px 4px' }}>{tm('oppNoCards')}</div>}
            {column.cards.map((card) => (
              <div
                key={card.id}
                data-testid={'card-' + card.code}
                draggable={!busy && card.status === 'open'}
                onDragStart={(e) => { setDragged({ card, column: column.id }); e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', card.id); }}
                onDragEnd={() => { setDragged(null); setOver(null); }}
                style={{ background: '#fff', border: '1px solid #e2e8f0', borderRadius: 4, padding: 8, marginBottom: 8, cursor: card.status === 'open' ? 'grab' : 'default', opacity: dragged?.card.id === card.id ? 0.4 : 1, boxShadow: '0 1px 2px rgba(0,0,0,.06)' }}
              >
                <a href={`${window.location.pathname.replace(/\/actions\/board.*$/, '')}/records/${card.id}/show`} style={{ fontWeight: 600, color: '#1e293b', textDecoration: 'none' }}>{card.name}</a>
                {card.party ? <div style={{ fontSize: 13, color: '#475569' }}>{card.party}</div> : null}
                <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 4, marginTop: 4, fontSize: 13 }}>
                  <b data-testid="card-value">{f.money(card.value)}</b>
                  <span style={{ color: card.overdue ? '#dc2626' : '#64748b' }}>{card.closeDate ? f.date(card.closeDate) : tm('oppNoClose')}</span>
                </div>
                {board.owners.length && card.owner ? <div style={{ fontSize: 12, color: '#94a3b8', marginTop: 2 }}>{card.owner}</div> : null}
                {card.status === 'open' ? (
                  <select
                    aria-label={tm('oppMoveTo')}
                    data-testid="card-move"
                    value=""
                    disabled={busy}
                    onChange={(e) => moveCard({ card, column: column.id }, board.columns.find((c) => c.id === e.target.value))}
                    style={{ marginTop: 6, width: '100%', fontSize: 12, color: '#475569' }}
                  >
                    <option value="">{tm('oppMoveTo')}</option>
                    {board.columns.filter((c) => c.id !== column.id).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </select>
                ) : null}
              </div>
            ))}
          </div>
        ))}
      </div>
      {ask ? (
        <div style={{ position: 'fixed', inset: 0, background: 'rgba(15,23,42,.35)', display: 'flex', alignItems: 'center', justifyContent: 'center', zIndex: 50 }}>
          <Box as="form" variant="white" p="xl" onSubmit={confirm} data-testid="move-ask" style={{ width: 420, borderRadius: 6 }}>
            <Label required>{tm(ask.column.kind === 'won' ? 'oppWonAmount' : 'oppLostReason', undefined, { name: ask.card.name })}</Label>
            {ask.column.kind === 'won' ? (
              <Input data-testid="move-answer" width={1} autoFocus required value={answer} onChange={(e) => setAnswer(e.target.value)} />
            ) : (
              <textarea data-testid="move-answer" rows={3} autoFocus required style={{ width: '100%' }} value={answer} onChange={(e) => setAnswer(e.target.value)} />
            )}
            <Box flex mt="lg" style={{ gap: 8, justifyContent: 'flex-end' }}>
              <Button type="button" onClick={cancel} data-testid="move-cancel">{tb('cancel')}</Button>
              <Button type="submit" variant="primary" data-testid="move-confirm">{tb('confirm')}</Button>
            </Box>
          </Box>
        </div>
      ) : null}
    </Box>
  );
};

export default OpportunityBoard;
