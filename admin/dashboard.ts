import { Types } from 'mongoose';
import { DateTime } from 'luxon';
import type { ActionContext, ActionRequest } from 'adminjs';
import { overdueFollowUpCount, type ConversionRow, type RevenueRow } from '../crm/reports/reports.js';
import { getSettings } from '../crm/settings/settings.js';
import { dashboardFromRollups } from '../crm/rollups/dashboardFigures.js';
import { daysOf, previousPeriod, type Period } from '../crm/reports/period.js';
import { actorOf, adminOf } from './access.js';
import { zaloOaHealth } from '../bot/zalo/oa/status.js';
import { ChannelStatus } from '../models/channelStatus.js';
import { unreadComments } from '../crm/comments/unread.js';
import { pipelineSection } from './dashboardPipeline.js';

/** The period asked for (`from`/`to` as yyyy-mm-dd in the company's zone); the last 30 days by default. */
export function periodFrom(query: Record<string, unknown>, timezone: string, now = new Date()): Period {
  const parse = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? DateTime.fromISO(v, { zone: timezone }) : null);
  const to = parse(query.to)?.endOf('day') ?? DateTime.fromJSDate(now, { zone: timezone }).endOf('day');
  let from = parse(query.from)?.startOf('day') ?? to.minus({ days: 29 }).startOf('day');
  if (from > to) from = to.startOf('day');
  // A year at most: the per-day chart stays readable and the aggregation bounded.
  if (to.diff(from, 'days').days > 366) from = to.minus({ days: 366 }).startOf('day');
  return { from: from.toJSDate(), to: to.toJSDate() };
}

/**
 * Slow answers (over a second: a large database) are reused for a minute, so a manager reloading
 * the dashboard, or a team opening it at the start of the day, costs one computation. Fast ones are
 * always fresh.
 */
const SLOW_MS = 1000;
const CACHE_MS = 60_000;
const cache = new Map<string, { at: number; value: unknown }>();

/** Every KPI of the dashboard in one response, the reports run side by side. */
export async function dashboardHandler(request: ActionRequest, _response: unknown, context: ActionContext) {
  const settings = await getSettings();
  const period = periodFrom(request.query ?? {}, settings.timezone);
  const admin = adminOf(context);
  const key = `${admin?.role === 'sales' ? admin.id : 'team'}|${period.from.toISOString()}|${period.to.toISOString()}`;
  // Alerts are always fresh and only for admins: they are the ones who can re-authorize a channel.
  const alerts = admin?.role === 'admin' ? await channelAlerts() : [];
  // The person's own unread comments ("Mới cập nhật"): always fresh, never shared through the cache.
  const unread = admin ? await unreadComments(new Types.ObjectId(admin.id), 5) : { total: 0, customers: [] };
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return { ...(hit.value as object), alerts, unread };
  const started = Date.now();
  const value = await computeDashboard(context, period, settings.timezone);
  if (Date.now() - started > SLOW_MS) {
    if (cache.size > 200) cache.clear();
    cache.set(key, { at: Date.now(), value });
  }
  return { ...value, alerts, unread };
}

/** A process that has not touched its channel rows for this long is gone: its rows no longer count. */
const CHANNEL_STATUS_STALE_MS = 3 * 60_000;

/**
 * Channels that need an admin's eye: a Zalo OA whose token refresh failed (`kind: 'zaloOaToken'`,
 * the admin must act), and any channel a running process cannot connect to its platform
 * (`kind: 'degraded'`, from the channel board; it recovers by itself).
 */
async function channelAlerts() {
  const [health, degraded] = await Promise.all([
    zaloOaHealth(),
    ChannelStatus.find({ state: { $ne: 'up' }, seenAt: { $gte: new Date(Date.now() - CHANNEL_STATUS_STALE_MS) } })
      .select('channel instance state since lastError')
      .lean(),
  ]);
  return [
    ...health
      .filter((h) => h.status === 'refresh_failed')
      .map((h) => ({ kind: 'zaloOaToken', key: `zalo_oa:${h.appId}`, channel: 'zalo_oa', appId: h.appId, code: h.lastError?.code ?? '', message: h.lastError?.message ?? '', at: h.lastError?.at })),
    ...degraded.map((d) => ({ kind: 'degraded', key: `${d.channel}:${d.instance}`, channel: d.channel, state: d.state, message: d.lastError ?? '', at: d.since })),
  ];
}

export async function computeDashboard(context: ActionContext, period: Period, timezone: string) {
  const actor = actorOf(context);
  const previous = previousPeriod(period, timezone);
  // The counts come from the rollups (crm/rollups/); the rest are small collections or few records.
  const [figures, overdue, pipeline] = await Promise.all([
    dashboardFromRollups(actor, period, previous, timezone),
    overdueFollowUpCount(actor),
    pipelineSection(actor, period, timezone),
  ]);
  const { funnel, perDay, conversion, interactions, revenueBySource: revenueSource, revenueBySalesperson: revenuePerson, dormant, current, previous: before, referrers } = figures;
  const day = (d: Date) => DateTime.fromJSDate(d, { zone: timezone }).toISODate();
  return {
    period: { from: day(period.from), to: day(period.to) },
    previousPeriod: { from: day(previous.from), to: day(previous.to) },
    scope: adminOf(context)?.role === 'sales' ? 'own' : 'team',
    summary: { current, previous: before },
    funnel: funnel.map((s) => ({ name: s.name, color: s.color, kind: s.kind, count: s.count, share: s.share })),
    // Every day of the period, so the chart's date axis has no holes on days without customers.
    days: daysOf(period, timezone),
    perDay,
    conversion: conversion.map((r) => ({ name: r.name, total: r.total, won: r.won, rate: r.rate })),
    revenueBySource: revenueSource.map((r) => ({ name: r.name, deals: r.deals, revenue: r.revenue })),
    sources: sourceRows(conversion, revenueSource),
    people: mergePeople(interactions, revenuePerson),
    referrers: referrers.map((r) => ({ kind: r.kind, name: r.name, customers: r.customers, won: r.won, revenue: r.revenue })),
    overdue,
    dormant,
    pipeline,
  };
}

/**
 * Conversion and revenue per source, one row each, best rate first: the chart sizes its bars by the
 * rate. A source with deals but no new customer in the period still shows its revenue.
 */
function sourceRows(conversion: ConversionRow[], revenue: RevenueRow[]) {
  const rows = new Map<string, { name: string; total: number; won: number; rate: number; deals: number; revenue: number }>();
  for (const c of conversion) rows.set(String(c.sourceId), { name: c.name, total: c.total, won: c.won, rate: c.rate, deals: 0, revenue: 0 });
  for (const r of revenue) {
    const row = rows.get(String(r.id)) ?? { name: r.name, total: 0, won: 0, rate: 0, deals: 0, revenue: 0 };
    rows.set(String(r.id), { ...row, deals: r.deals, revenue: r.revenue });
  }
  return [...rows.values()].sort((a, b) => b.rate - a.rate || b.revenue - a.revenue || b.total - a.total);
}

/** Interactions and won deals per salesperson, one row each. */
function mergePeople(
  interactions: { userId: unknown; name: string; total: number }[],
  revenue: { id: unknown; name: string; deals: number; revenue: number }[],
) {
  const rows = new Map<string, { name: string; interactions: number; deals: number; revenue: number }>();
  for (const i of interactions) rows.set(String(i.userId), { name: i.name, interactions: i.total, deals: 0, revenue: 0 });
  for (const r of revenue) {
    const row = rows.get(String(r.id)) ?? { name: r.name, interactions: 0, deals: 0, revenue: 0 };
    rows.set(String(r.id), { ...row, deals: r.deals, revenue: r.revenue });
  }
  return [...rows.values()].sort((a, b) => b.revenue - a.revenue || b.interactions - a.interactions);
}
