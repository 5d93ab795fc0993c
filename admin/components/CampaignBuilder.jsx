import React, { useEffect, useRef, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H3, H5, Label, Text } from '@adminjs/design-system';
import { useNavigate } from 'react-router';

const api = new ApiClient();
const EMPTY_SEGMENT = { stages: [], sources: [], groups: [], owners: [], contactedWithinDays: null, notContactedForDays: null };
const LISTS = [['stages', 'campaignStages'], ['sources', 'campaignSources'], ['groups', 'campaignGroups'], ['owners', 'campaignOwners']];
const REASONS = ['no_chat_id', 'opted_out', 'unreachable'];
const box = { border: '1px solid #cbd5e1', borderRadius: 6, padding: '8px 10px', fontSize: 14, fontFamily: 'inherit' };
const EMPTY_OUTREACH = { emailSubject: '', smsText: '', znsTemplateId: '', znsParams: [] };
const OUTREACH = ['zns', 'sms', 'email'];
const money = (n) => Math.round(n || 0).toLocaleString('vi-VN');
const section = { borderLeft: '3px solid #4f46e5', paddingLeft: 12, marginBottom: 20 };

// The chosen channels in order, each movable: the first that reaches a customer is the one used.
const ChannelOrder = ({ channels, name, t, onMove }) => (
  <Box mb="lg" data-testid="channel-order">
    <Label>{t('campaignChannelOrder')}</Label>
    {channels.length === 0 && <Text color="grey60">{t('campaignChannelOrderNone')}</Text>}
    {channels.map((c, i) => (
      <Box key={c} flex alignItems="center" style={{ gap: 8, marginBottom: 4 }} data-testid={'order-' + c}>
        <Text style={{ minWidth: 180 }}><b>{i + 1}.</b> {name(c)}</Text>
        <Button type="button" size="sm" variant="outlined" disabled={i === 0} onClick={() => onMove(i, -1)} data-testid={'up-' + c} aria-label={t('campaignMoveUp') + ' ' + name(c)}>↑ {t('campaignMoveUp')}</Button>
        <Button type="button" size="sm" variant="outlined" disabled={i === channels.length - 1} onClick={() => onMove(i, 1)} data-testid={'down-' + c} aria-label={t('campaignMoveDown') + ' ' + name(c)}>↓ {t('campaignMoveDown')}</Button>
      </Box>
    ))}
  </Box>
);

// Each outreach channel's own fields, shown only while that channel is chosen.
const OutreachFields = ({ channels, outreach, znsFields, t, onChange, sms }) => {
  const set = (patch) => onChange({ ...outreach, ...patch });
  const setParam = (i, patch) => set({ znsParams: outreach.znsParams.map((p, k) => (k === i ? { ...p, ...patch } : p)) });
  return (
    <>
      {channels.includes('email') && (
        <Box style={section} data-testid="email-fields">
          <H5>{t('campaignEmailSection')}</H5>
          <Label htmlFor="campaign-emailSubject">{t('campaignEmailSubject')}</Label>
          <input id="campaign-emailSubject" value={outreach.emailSubject} maxLength={200} onChange={(e) => set({ emailSubject: e.target.value })} style={{ ...box, width: '100%' }} />
          <Text color="grey60" mt="sm">{t('campaignEmailHelp')}</Text>
        </Box>
      )}
      {channels.includes('sms') && (
        <Box style={section} data-testid="sms-fields">
          <H5>{t('campaignSmsSection')}</H5>
          <Label htmlFor="campaign-smsText">{t('campaignSmsText')}</Label>
          <textarea id="campaign-smsText" rows={3} maxLength={1000} value={outreach.smsText} onChange={(e) => set({ smsText: e.target.value })} style={{ ...box, width: '100%' }} />
          <Text color="grey60" my="sm">{t('campaignSmsUnaccented')}</Text>
          {sms && (
            <Box p="md" style={{ background: '#f1f5f9', borderRadius: 6 }} data-testid="sms-preview">
              <Text color="grey60">{t('campaignSmsPreview', { segments: sms.size.segments, units: sms.size.units, encoding: t('campaignSmsEncoding_' + sms.size.encoding) })}</Text>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{sms.text}</Text>
            </Box>
          )}
        </Box>
      )}
      {channels.includes('zns') && (
        <Box style={section} data-testid="zns-fields">
          <H5>{t('campaignZnsSection')}</H5>
          <Text color="grey60" mb="sm">{t('campaignZnsHelp')}</Text>
          <Label htmlFor="campaign-znsTemplateId">{t('campaignZnsTemplateId')}</Label>
          <input id="campaign-znsTemplateId" inputMode="numeric" value={outreach.znsTemplateId} maxLength={20} onChange={(e) => set({ znsTemplateId: e.target.value })} style={{ ...box, width: 220, marginBottom: 8 }} />
          {outreach.znsParams.map((p, i) => (
            <Box key={i} flex alignItems="center" style={{ gap: 8, marginBottom: 6 }} data-testid={'zns-param-' + i}>
              <input aria-label={t('campaignZnsParam')} placeholder={t('campaignZnsParam')} value={p.key} maxLength={60} onChange={(e) => setParam(i, { key: e.target.value })} style={{ ...box, width: 180 }} />
              <select aria-label={t('campaignZnsField')} value={p.field} onChange={(e) => setParam(i, { field: e.target.value })} style={box}>
                {znsFields.map((f) => <option key={f} value={f}>{t('campaignZnsField_' + f)}</option>)}
              </select>
              <Button type="button" size="sm" variant="text" onClick={() => set({ znsParams: outreach.znsParams.filter((_, k) => k !== i) })}>{t('campaignZnsRemove')}</Button>
            </Box>
          ))}
          <Button type="button" size="sm" variant="outlined" onClick={() => set({ znsParams: [...outreach.znsParams, { key: '', field: znsFields[0] }] })} data-testid="zns-add-param">{t('campaignZnsAddParam')}</Button>
        </Box>
      )}
    </>
  );
};

// What the paid channels would cost for the recipients counted now.
const CostLine = ({ cost, count, t }) => {
  if (!cost || !count) return null;
  const sms = count.byChannel.sms || 0;
  const zns = count.byChannel.zns || 0;
  return (
    <Box mt="md" p="md" style={{ background: '#eef2ff', borderRadius: 6 }} data-testid="campaign-cost">
      <Text><b>{t('campaignCost', { total: money(cost.total) })}</b></Text>
      {sms > 0 && <Text>{t('campaignCostSms', { count: sms, segments: cost.smsSegments, price: money(cost.prices.smsPerSegment) })}</Text>}
      {zns > 0 && <Text>{t('campaignCostZns', { count: zns, price: money(cost.prices.znsPerMessage) })}</Text>}
      <Text color="grey60">{t('campaignCostFree')}</Text>
    </Box>
  );
};

// Choices as toggles: every option is visible at once, one click each, no "add item" rounds.
const Chips = ({ name, options, chosen, onToggle, none }) => (
  <Box flex style={{ flexWrap: 'wrap', gap: 6 }} data-testid={'pick-' + name}>
    {options.length === 0 && <Text color="grey60">{none}</Text>}
    {options.map((o) => {
      const on = chosen.includes(o.value);
      return (
        <label key={o.value} style={{ ...box, padding: '4px 10px', cursor: 'pointer', background: on ? '#e0e7ff' : '#fff', borderColor: on ? '#4f46e5' : '#cbd5e1', display: 'inline-flex', alignItems: 'center', gap: 6 }}>
          <input type="checkbox" checked={on} onChange={() => onToggle(o.value)} data-value={o.value} />
          {o.color && <span style={{ width: 10, height: 10, borderRadius: 5, background: o.color, display: 'inline-block' }} />}
          {o.label}
        </label>
      );
    })}
  </Box>
);

/**
 * The campaign page for new and edit: channels from those running, the segment as toggles, the
 * message with insertable placeholders, the recipient count and a sample message that follow
 * every change, and an optional send time on the company's clock. All rules are the server's.
 */
const CampaignBuilder = ({ resource, action, record }) => {
  const { tm, tl } = useTranslation();
  const addNotice = useNotice();
  const navigate = useNavigate();
  const [options, setOptions] = useState(null);
  const [form, setForm] = useState({ name: '', channels: [], segment: EMPTY_SEGMENT, template: '', outreach: EMPTY_OUTREACH, sendAt: '' });
  const [preview, setPreview] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const text = useRef(null);
  const previews = useRef(0);
  const isEdit = action.name === 'edit' && record && record.id;
  const t = (key, params) => tm(key, resource.id, params);

  const call = (data) => (isEdit
    ? api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, ...(data ? { method: 'post', data } : {}) })
    : api.resourceAction({ resourceId: resource.id, actionName: action.name, ...(data ? { method: 'post', data } : {}) }));

  useEffect(() => {
    call().then((res) => {
      const b = res.data.builder;
      if (!b) return res.data.notice && addNotice(res.data.notice);
      setOptions(b.options);
      if (b.form) setForm({ ...b.form, segment: { ...EMPTY_SEGMENT, ...b.form.segment }, outreach: { ...EMPTY_OUTREACH, ...b.form.outreach } });
    });
  }, []);

  // The count and the sample follow the choices, a moment after the last change.
  useEffect(() => {
    if (!options) return undefined;
    const timer = setTimeout(() => {
      const asked = ++previews.current;
      call({ op: 'preview', ...form }).then((res) => {
        // A slow answer to an earlier choice must not replace the answer to the latest one.
        if (asked !== previews.current) return;
        if (res.data.preview) {
          setPreview(res.data.preview);
          setProblem(null);
        } else if (res.data.notice) setProblem(res.data.notice);
      });
    }, 300);
    return () => clearTimeout(timer);
  }, [options, form]);

  const set = (patch) => setForm((f) => ({ ...f, ...patch }));
  const setSegment = (patch) => setForm((f) => ({ ...f, segment: { ...f.segment, ...patch } }));
  const toggle = (items, value) => (items.includes(value) ? items.filter((v) => v !== value) : [...items, value]);
  const move = (i, step) => setForm((f) => {
    const channels = [...f.channels];
    [channels[i], channels[i + step]] = [channels[i + step], channels[i]];
    return { ...f, channels };
  });

  const insert = (placeholder) => {
    const el = text.current;
    const at = el ? el.selectionStart : form.template.length;
    const end = el ? el.selectionEnd : at;
    set({ template: form.template.slice(0, at) + placeholder + form.template.slice(end) });
    setTimeout(() => { if (el) { el.focus(); el.selectionStart = el.selectionEnd = at + placeholder.length; } }, 0);
  };

  const save = async () => {
    setBusy(true);
    try {
      const res = await call({ op: 'save', ...form });
      if (res.data.notice) addNotice(res.data.notice);
      if (res.data.redirectUrl) return navigate(res.data.redirectUrl);
      if (res.data.notice && res.data.notice.type === 'error') setProblem(res.data.notice);
    } finally {
      setBusy(false);
    }
  };

  if (!options) return <Box p="xl"><Text>…</Text></Box>;
  const count = preview && preview.count;
  const channelName = (c) => tl('channel.' + c, resource.id);
  const unknown = (preview && preview.unknownPlaceholders) || [];

  return (
    <Box flex style={{ gap: 24, flexWrap: 'wrap', alignItems: 'flex-start' }} data-testid="campaign-builder">
      <Box variant="white" p="xl" style={{ flex: '1 1 520px', minWidth: 360 }}>
        <Label htmlFor="campaign-name">{t('campaignName')}</Label>
        <input id="campaign-name" name="name" value={form.name} maxLength={120} onChange={(e) => set({ name: e.target.value })} style={{ ...box, width: '100%', marginBottom: 20 }} />

        <H5>{t('campaignChannels')}</H5>
        <Text mb="sm" color="grey60">{t('campaignChannelsHelp')}</Text>
        <Box flex style={{ gap: 8, flexWrap: 'wrap', marginBottom: 20 }} data-testid="pick-channels">
          {options.channels.map(({ channel, state }) => (
            <label key={channel} style={{ ...box, padding: '6px 12px', cursor: 'pointer', background: form.channels.includes(channel) ? '#e0e7ff' : '#fff' }}>
              <input type="checkbox" checked={form.channels.includes(channel)} onChange={() => set({ channels: toggle(form.channels, channel) })} data-value={channel} />{' '}
              {channelName(channel)}{state !== 'up' ? ` (${t('campaignChannelState_' + state)})` : ''}
            </label>
          ))}
        </Box>
        <ChannelOrder channels={form.channels} name={channelName} t={t} onMove={move} />
        <OutreachFields channels={form.channels.filter((c) => OUTREACH.includes(c))} outreach={form.outreach} znsFields={options.znsFields || []} t={t} sms={preview && preview.sms} onChange={(outreach) => set({ outreach })} />

        <H5>{t('campaignSegment')}</H5>
        <Text mb="sm" color="grey60">{t('campaignSegmentHelp')}</Text>
        {LISTS.map(([key, label]) => (
          <Box key={key} mb="lg">
            <Label>{t(label)}</Label>
            <Chips name={key} options={options[key]} chosen={form.segment[key]} none={t('campaignNone')} onToggle={(v) => setSegment({ [key]: toggle(form.segment[key], v) })} />
          </Box>
        ))}
        <Box flex style={{ gap: 16, flexWrap: 'wrap', marginBottom: 20 }}>
          {[['contactedWithinDays', 'campaignContactedWithin'], ['notContactedForDays', 'campaignNotContactedFor']].map(([key, label]) => (
            <Box key={key}>
              <Label htmlFor={'campaign-' + key}>{t(label)}</Label>
              <input id={'campaign-' + key} type="number" min="1" max="3650" step="1" value={form.segment[key] ?? ''} onChange={(e) => setSegment({ [key]: e.target.value === '' ? null : e.target.value })} style={{ ...box, width: 140 }} />
            </Box>
          ))}
        </Box>

        <H5>{t('campaignMessage')}</H5>
        <Box flex alignItems="center" style={{ gap: 6, flexWrap: 'wrap', marginBottom: 6 }}>
          <Text>{t('campaignInsert')}</Text>
          {options.placeholders.map((p) => (
            <Button key={p} type="button" size="sm" variant="outlined" onClick={() => insert(p)} data-testid={'insert-' + p.slice(1, -1)}>
              {p} · {t('campaignPlaceholder_' + p.slice(1, -1))}
            </Button>
          ))}
        </Box>
        <textarea ref={text} name="template" rows={6} maxLength={2000} value={form.template} onChange={(e) => set({ template: e.target.value })} style={{ ...box, width: '100%' }} />
        <Text color="grey60" mb="sm">{t('campaignChars', { count: Array.from(form.template).length })}</Text>
        {unknown.length > 0 && <Text mb="lg" style={{ color: '#b91c1c' }} data-testid="campaign-unknown">{t('campaignProblem_placeholders', { placeholders: unknown.join(', ') })}</Text>}

        <Label htmlFor="campaign-sendAt">{t('campaignSendAt')}</Label>
        <input id="campaign-sendAt" type="datetime-local" value={form.sendAt} onChange={(e) => set({ sendAt: e.target.value })} style={{ ...box, marginBottom: 4 }} />
        <Text color="grey60" mb="xl">{t('campaignSendAtHelp', { timezone: options.timezone })}</Text>

        {problem && <Text mb="lg" p="md" style={{ color: '#b91c1c', background: '#fef2f2', borderLeft: '4px solid #b91c1c' }} data-testid="campaign-problem">{tm(problem.message, resource.id, problem.options)}</Text>}
        <Button variant="primary" disabled={busy} onClick={save} data-testid="campaign-save">{form.sendAt ? t('campaignSaveSchedule') : t('campaignSave')}</Button>
      </Box>

      <Box variant="white" p="xl" style={{ flex: '1 1 340px', minWidth: 300, position: 'sticky', top: 16 }} data-testid="campaign-side">
        <H3>{tm('campaignRecipients', resource.id)}</H3>
        <Box mb="lg" data-testid="recipient-count">
          {!count && <Text>{t('campaignPickChannel')}</Text>}
          {count && (
            <>
              <Text><b style={{ fontSize: 28 }}>{t('campaignCount', { total: count.total })}</b></Text>
              <Text color="grey60">{t('campaignOfSegment', { inSegment: count.inSegment })}</Text>
              {Object.entries(count.byChannel).map(([c, n]) => <Text key={c}>{channelName(c)}: {n}</Text>)}
              <CostLine cost={preview.cost} count={count} t={t} />
              {count.inSegment === 0 && <Text mt="sm">{t('campaignEmptySegment')}</Text>}
              {count.inSegment > count.total && (
                <Box mt="sm" p="md" style={{ background: '#fffbeb', borderLeft: '4px solid #d97706' }} data-testid="recipient-why">
                  <Text><b>{t('campaignWhyNot')}</b></Text>
                  {REASONS.filter((r) => count.notReachable[r] > 0).map((r) => <Text key={r}>• {t('campaignWhy_' + r, { count: count.notReachable[r] })}</Text>)}
                </Box>
              )}
            </>
          )}
        </Box>
        <H5>{tm('campaignPreview', resource.id)}</H5>
        <Box p="lg" style={{ background: '#f1f5f9', whiteSpace: 'pre-wrap', borderRadius: 8 }} data-testid="campaign-preview">
          {preview && preview.sample
            ? <>
                <Text color="grey60" mb="sm">{t('campaignSampleFor', { name: preview.sample.customer.name, code: preview.sample.customer.code, channel: channelName(preview.sample.channel) })}</Text>
                <Text>{preview.sample.text}</Text>
              </>
            : <Text>{tm('campaignNoRecipient', resource.id)}</Text>}
        </Box>
      </Box>
    </Box>
  );
};

export default CampaignBuilder;
