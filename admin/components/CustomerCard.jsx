import React, { useEffect, useState } from 'react';
import { ActionButton, ApiClient, ViewHelpers, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H2, H5, Label, Input, Text } from '@adminjs/design-system';
import FollowUpFields, { emptyFollowUp, selectStyle, SubmitButton } from './FollowUpFields.jsx';
import Conversation from './CustomerConversation.jsx';
import CustomerComments from './CustomerComments.jsx';
import CustomerQuotes from './CustomerQuotes.jsx';
import CustomerAttachments, { useCustomerFiles } from './CustomerAttachments.jsx';
import CustomerCheckIns from './CustomerCheckIns.jsx';
import { postRecordAction } from './postRecordAction.js';
import { vnd } from './panelFormat.js';

const api = new ApiClient();
const h = new ViewHelpers();

// Dates as people at the company read them: their time zone, day/month/year, 24-hour clock.
const dateFormatter = (timezone) => {
  const format = new Intl.DateTimeFormat('vi-VN', { timeZone: timezone || undefined, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  return (d) => (d ? format.format(new Date(d)) : '');
};

const Section = ({ title, children, testId }) => (
  <Box mt="xl" data-testid={testId}>
    <H5 mb="sm">{title}</H5>
    {children && children.length ? children : <Text color="grey60">—</Text>}
  </Box>
);

const Panel = ({ title, children, onSubmit, testId }) => (
  <Box as="form" onSubmit={onSubmit} data-testid={testId} mb="lg" p="lg" style={{ border: '1px solid #e4e4ea', borderRadius: 6 }}>
    <H5 mb="default">{title}</H5>
    {children}
  </Box>
);

const Pick = ({ name, value, onChange, none, options }) => (
  <select name={name} value={value} onChange={(e) => onChange(e.target.value)} style={{ ...selectStyle, marginBottom: 8 }}>
    <option value="">{none}</option>
    {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
  </select>
);

const REFERRER_KINDS = ['customer', 'user', 'staff'];
const REFRESH_MS = 15_000;

/** The referrer another part may add to the card: a customer or a staff member, shown by name. */
const referrerText = (referrer, tl) => {
  if (!referrer || typeof referrer !== 'object' || !referrer.name) return '';
  return REFERRER_KINDS.includes(referrer.kind) ? `${referrer.name} (${tl('referrerKind.' + referrer.kind)})` : String(referrer.name);
};

// The customer page: the card (details, history, follow-ups, deals), the work a manager does on it
// (log, stage, follow-up, reassign, group) and the conversation with a reply box. Every form posts
// to a hidden record action that calls the same crm service as the chat; the page then reloads.
const CustomerCard = ({ record: initial, resource }) => {
  const [record, setRecord] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [log, setLog] = useState({ type: 'call', outcome: '', text: '' });
  const [stage, setStage] = useState({ stage: '', amount: '' });
  const [followUp, setFollowUp] = useState(emptyFollowUp);
  const [owner, setOwner] = useState('');
  const [group, setGroup] = useState('');
  const files = useCustomerFiles(record.id);
  const addNotice = useNotice();
  const { tm, tp, tl, ta } = useTranslation();
  // Another customer opened in the same page view brings its own record.
  useEffect(() => setRecord(initial), [initial]);
  const reload = async () => {
    const res = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'show' });
    if (res.data.record) setRecord({ ...res.data.record, recordActions: record.recordActions });
  };

  // New messages from the customer show up without a reload, like an inbox (only while the tab is seen).
  useEffect(() => {
    const timer = setInterval(() => {
      if (!document.hidden) reload().catch(() => undefined);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [record.id]);
  const page = JSON.parse(record.params.cardJson || '{}');
  const { card, history, conversation, choices, timezone } = page;
  if (!card) return null;
  const fmt = dateFormatter(timezone);
  const c = card.customer;

  /** Posts one form; on success clears it and shows the fresh card; a refusal keeps what was typed. */
  const run = async (actionName, data, reset) => {
    setBusy(true);
    try {
      if (await postRecordAction(api, addNotice, { resourceId: resource.id, recordId: record.id, actionName, data })) {
        if (reset) reset();
        await reload();
      }
    } finally {
      setBusy(false);
    }
  };
  const submit = (actionName, data, reset) => (e) => {
    e.preventDefault();
    run(actionName, data, reset);
  };

  const chosenStage = choices.stages.find((s) => s.value === stage.stage);
  const referrer = referrerText(card.referrer, tl);
  const rows = [
    ['code', tp('code', 'Customer'), c.code], ['phones', tp('phones', 'Customer'), page.phones.join(', ')], ['email', tp('email', 'Customer'), c.email],
    // B2B: where the person works, their title and buying role.
    ['organization', tp('organization', 'Customer'), card.organization && [`${card.organization.code} · ${card.organization.name}`, c.jobTitle, c.contactRole && tl('contactRole.' + c.contactRole)].filter(Boolean).join(' · ')],
    ['owner', tp('owner', 'Customer'), card.owner?.name], ['source', tp('source', 'Customer'), card.source?.name],
    ['groups', tp('groups', 'Customer'), card.groups.map((g) => g.name).join(', ')], ['referrer', tp('referrer', 'Customer'), referrer],
    ['need', tp('need', 'Customer'), c.need], ['notes', tp('notes', 'Customer'), c.notes],
    ['lastContactAt', tp('lastContactAt', 'Customer'), fmt(c.lastContactAt)], ['nextFollowUpAt', tp('nextFollowUpAt', 'Customer'), fmt(c.nextFollowUpAt)],
    ['createdAt', tp('createdAt', 'Customer'), fmt(c.createdAt)],
  ];
  const headerActions = (record.recordActions || []).filter((a) => a.name === 'edit' || a.name === 'delete');

  return (
    <Box data-testid="customer-card">
      <Box flex flexDirection="row" alignItems="center" mt="lg" mb="lg" style={{ gap: 12, flexWrap: 'wrap' }}>
        <H2 mb="0" data-testid="customer-title">{c.name}</H2>
        {card.stage && <span data-testid="customer-stage" style={{ background: card.stage.color, color: '#fff', borderRadius: 4, padding: '2px 8px', fontSize: 14 }}>{card.stage.name}</span>}
        <Box flexGrow={1} />
        {headerActions.map((a) => (
          <ActionButton key={a.name} action={a} resourceId={resource.id} recordId={record.id}>
            <Button as="a" size="sm" variant={a.name === 'delete' ? 'danger' : 'outlined'}>{tm(a.name === 'delete' ? 'cpDelete' : 'cpEdit')}</Button>
          </ActionButton>
        ))}
      </Box>
      <Box flex flexDirection="row" style={{ gap: 24, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <Box variant="white" p="xl" style={{ flex: '1 1 420px', minWidth: 0 }}>
          <H5 mb="sm">{tm('cpDetails')}</H5>
          <table data-testid="customer-details"><tbody>
            {rows.filter(([, , v]) => v).map(([k, label, v]) => (
              <tr key={k} data-testid={'row-' + k}><td style={{ padding: '3px 16px 3px 0', color: '#666', verticalAlign: 'top', whiteSpace: 'nowrap' }}>{label}</td><td style={{ padding: '3px 0', whiteSpace: 'pre-wrap' }}>{v}</td></tr>
            ))}
          </tbody></table>
          <Section title={tm('cardFollowUps')} testId="card-followups">
            {card.activeFollowUps.map((f) => (
              <Text key={f._id}>
                {fmt(f.dueAt)} · {tl('type.' + f.type)}{f.recurrence && f.recurrence !== 'none' ? ` · ${tl('recurrence.' + f.recurrence)}` : ''}{f.note ? ` · ${f.note}` : ''}
                {/* Done, moved or cancelled on the follow-up's own forms, which say whose and when. */}
                {['complete', 'reschedule', 'cancel'].map((name) => (
                  <a key={name} href={h.recordActionUrl({ resourceId: 'FollowUp', recordId: f._id, actionName: name })} style={{ marginLeft: 10, fontSize: 12, whiteSpace: 'nowrap' }}>{ta(name, 'FollowUp')}</a>
                ))}
              </Text>
            ))}
          </Section>
          <Section title={tm('cardHistory')} testId="card-history">
            {(history || []).map((h) => (
              <Text key={h._id}>{fmt(h.at)} · {h.from?.name || '—'} → <b style={{ color: h.to?.color }}>{h.to?.name}</b> · {h.by?.name || tm('cardSystem')}</Text>
            ))}
          </Section>
          <Section title={tm('cardInteractions')} testId="card-interactions">
            {card.lastInteractions.map((i) => (
              <Text key={i._id}>{fmt(i.occurredAt)} · {tl('type.' + i.type)}{i.outcome ? ` · ${choices.outcomes.includes(i.outcome) ? tl('outcome.' + i.outcome) : i.outcome}` : ''}{i.text ? ` · ${i.text}` : ''}</Text>
            ))}
          </Section>
          <Section title={tm('cardDeals')} testId="card-deals">
            {card.deals.map((d) => <Text key={d._id}>{fmt(d.closedAt)} · {vnd(d.amount)}</Text>)}
          </Section>
          <CustomerQuotes customerId={card.customer._id} fmt={fmt} />
        </Box>

        <Box style={{ flex: '1 1 380px', minWidth: 0 }}>
          <CustomerComments page={page} fmt={fmt} busy={busy} run={run} tm={tm} tl={tl} />
          {/* A follower (canChange false) reads the page and comments; the forms that change the customer are not shown. */}
          <Conversation messages={conversation} fmt={fmt} busy={busy} onSend={page.canChange === false ? undefined : (text, reset) => run('reply', { text }, reset)} />
          <CustomerAttachments attachments={files.attachments} fmt={fmt} />
          <CustomerCheckIns checkIns={files.checkIns} fmt={fmt} />

          {page.canChange !== false && <Box variant="white" p="xl" mt="lg">
            <H5 mb="default">{tm('cpWork')}</H5>
            <Panel title={tm('cpLog')} testId="form-log" onSubmit={submit('logInteraction', log, () => setLog({ type: log.type, outcome: '', text: '' }))}>
              <Box flex flexDirection="row" style={{ gap: 12 }}>
                <select name="type" value={log.type} onChange={(e) => setLog({ ...log, type: e.target.value })} style={{ ...selectStyle, marginBottom: 8 }}>
                  {choices.interactionTypes.map((t) => <option key={t} value={t}>{tl('type.' + t)}</option>)}
                </select>
                <select name="outcome" value={log.outcome} onChange={(e) => setLog({ ...log, outcome: e.target.value })} style={{ ...selectStyle, marginBottom: 8 }}>
                  <option value="">{tm('cpOutcomeNone')}</option>
                  {choices.outcomes.map((o) => <option key={o} value={o}>{tl('outcome.' + o)}</option>)}
                </select>
              </Box>
              <textarea name="text" rows={2} placeholder={tm('cpLogText')} value={log.text} onChange={(e) => setLog({ ...log, text: e.target.value })} style={{ ...selectStyle, marginBottom: 8 }} />
              <SubmitButton disabled={busy}>{tm('cpSave')}</SubmitButton>
            </Panel>

            <Panel title={tm('cpStage')} testId="form-stage" onSubmit={submit('setStage', stage, () => setStage({ stage: '', amount: '' }))}>
              <Pick name="stage" value={stage.stage} none={tm('cpStagePick')} options={choices.stages} onChange={(v) => setStage({ ...stage, stage: v })} />
              {chosenStage?.kind === 'won' && (
                <Box mb="default">
                  <Label>{tm('cpAmount')}</Label>
                  <Input name="amount" width={1} value={stage.amount} onChange={(e) => setStage({ ...stage, amount: e.target.value })} />
                  <Text variant="sm" color="grey60">{tm('cpAmountHelp')}</Text>
                </Box>
              )}
              <SubmitButton disabled={busy || !stage.stage}>{tm('cpApply')}</SubmitButton>
            </Panel>

            <Panel title={tm('cpFollowUp')} testId="form-followup" onSubmit={submit('scheduleFollowUp', followUp, () => setFollowUp(emptyFollowUp))}>
              <FollowUpFields values={followUp} onChange={setFollowUp} timezone={timezone} types={choices.followUpTypes} recurrences={choices.recurrences} />
              <SubmitButton disabled={busy}>{tm('cpSave')}</SubmitButton>
            </Panel>

            {page.canReassign && (
              <Panel title={tm('cpReassign')} testId="form-reassign" onSubmit={submit('reassign', { owner }, () => setOwner(''))}>
                <Pick name="owner" value={owner} none={tm('cpOwnerPick')} options={choices.owners} onChange={setOwner} />
                <SubmitButton disabled={busy || !owner}>{tm('cpApply')}</SubmitButton>
              </Panel>
            )}

            <Panel title={tm('cpGroup')} testId="form-group" onSubmit={submit('addGroup', { group }, () => setGroup(''))}>
              <Pick name="group" value={group} none={tm('cpGroupPick')} options={choices.groups} onChange={setGroup} />
              <SubmitButton disabled={busy || !group}>{tm('cpApply')}</SubmitButton>
            </Panel>
          </Box>}
        </Box>
      </Box>
    </Box>
  );
};

export default CustomerCard;
