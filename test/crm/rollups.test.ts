import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { randomSource } from '../../crm/demo/random.js';
import { createCustomer, deleteCustomer, reassignCustomer, updateCustomer } from '../../crm/customers/customers.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { changeStage, recordDeal } from '../../crm/stages/changeStage.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { sweepDontForget } from '../../crm/dontForget/sweepDontForget.js';
import { commitImport } from '../../crm/imports/csvImport.js';
import { createOpportunity } from '../../crm/opportunities/opportunities.js';
import { winOpportunity, loseOpportunity, moveOpportunity } from '../../crm/opportunities/closeOpportunity.js';
import { deleteOpportunity, updateOpportunity } from '../../crm/opportunities/opportunities.js';
import { listOpportunityStages } from '../../crm/opportunities/opportunityStages.js';
import { openGroupsByScan, pipelineSummary } from '../../crm/opportunities/pipelineSummary.js';
import { pipelineByStage, weightedForecast, outcomesBySource, outcomesBySalesperson } from '../../crm/reports/pipeline.js';
import { pipelineFromRollups } from '../../crm/rollups/pipelineFigures.js';
import { bulkAssignOwner, bulkChangeStage } from '../../crm/bulk/bulkCustomers.js';
import { listStages } from '../../crm/stages/stages.js';
import { getSettings } from '../../crm/settings/settings.js';
import { isCrmError } from '../../crm/shared/errors.js';
import { userActor, type Actor } from '../../crm/users/actor.js';
import { previousPeriod, type Period } from '../../crm/reports/period.js';
import { customersByStage, conversionBySource, interactionsBySalesperson, revenueBySource, revenueBySalesperson, dormantCount } from '../../crm/reports/reports.js';
import { newCustomersPerDayBySource } from '../../crm/reports/newCustomersPerDay.js';
import { periodSummary } from '../../crm/reports/periodSummary.js';
import { customersByReferrer } from '../../crm/reports/referrers.js';
import { dashboardFromRollups } from '../../crm/rollups/dashboardFigures.js';
import { reconcileRollups, ensureRollups } from '../../crm/rollups/rebuild.js';
import { periodFrom } from '../../admin/dashboard.js';
import { rollupVerification } from '../../jobs/rollups.js';
import { JOBS } from '../../jobs/registry.js';
import { Customer } from '../../models/customer.js';
import { Source } from '../../models/source.js';
import { DashboardRollup } from '../../models/dashboardRollup.js';
import { Opportunity } from '../../models/opportunity.js';

useTestDatabase();

const DAY = 86_400_000;
/** The workload's clock: 40 days back from here, so it crosses local midnights and two periods. */
const START = new Date('2026-10-01T10:00:00Z');

/**
 * A seeded random workload through the crm calls (creates, leads, imports, stage and owner moves,
 * interactions, deals, opportunity wins, deletes, bulk actions, the don't-forget sweep), then the
 * dashboard's figures from the rollups must equal the old full-scan reports, for the team and for
 * each salesperson, and a recount must find nothing to repair.
 */
async function randomWorkload(seed: number, steps: number) {
  const rnd = randomSource(seed);
  const manager = await makeStaff('manager');
  const sales = [await makeStaff('sales'), await makeStaff('sales'), await makeStaff('sales')];
  const everyone = [manager, ...sales];
  const [sources, stages] = await Promise.all([Source.find().lean(), listStages()]);
  const pickable = stages.filter((s) => s.kind !== 'dormant');
  const openSteps = (await listOpportunityStages()).filter((s) => s.kind === 'open');
  const soon = () => new Date(Date.now() + (rnd.int(60) - 5) * DAY);
  const anOpportunity = async () => {
    const all = await Opportunity.find({ deletedAt: null, status: 'open' }).select('_id').lean();
    return all.length ? all[rnd.int(all.length)]! : null;
  };
  const at = () => new Date(START.getTime() + rnd.int(40) * DAY + rnd.int(DAY));
  let phone = 0;
  const nextPhone = () => `0917${String(100000 + ++phone).padStart(6, '0')}`;
  const live = async () => Customer.find({ deletedAt: null }).select('_id owner').lean();
  const someone = async () => {
    const all = await live();
    return all.length ? all[rnd.int(all.length)]! : null;
  };
  // Half the customers were referred, by a colleague or by another customer.
  const aReferrer = async () => {
    if (rnd.chance(0.5)) return null;
    const other = rnd.chance(0.5) ? await someone() : null;
    return other ? { kind: 'customer' as const, id: other._id } : { kind: 'user' as const, id: rnd.pick(sales).user._id };
  };
  const actorFor = (owner: unknown): Actor => sales.find((s) => String(s.user._id) === String(owner))?.actor ?? manager.actor;

  const done = new Map<string, number>();
  const did = (what: string, n = 1) => done.set(what, (done.get(what) ?? 0) + n);
  for (let step = 0; step < steps; step++) {
    const c = await someone();
    const roll = rnd.int(110);
    try {
      if (roll < 15 || !c) {
        await createCustomer(manager.actor, { name: `Khách ${step}`, phones: [nextPhone()], owner: rnd.pick(sales).user._id, source: rnd.chance(0.8) ? rnd.pick(sources)._id : null, referrer: await aReferrer() });
        did('create');
      } else if (roll < 25) {
        await captureLead({ channel: rnd.pick(['telegram', 'web', 'manual'] as const), chatId: String(step), name: `Lead ${step}`, phone: nextPhone(), message: 'Xin báo giá' }, at());
        did('lead');
      } else if (roll < 45) {
        // Won often enough that referred customers are won too.
        const stage = rnd.chance(0.3) ? pickable.find((s) => s.kind === 'won')! : rnd.pick(pickable);
        const moved = await changeStage(actorFor(c.owner), c._id, stage._id, { now: at(), ...(stage.kind === 'won' && rnd.chance(0.7) ? { dealAmount: (1 + rnd.int(50)) * 1_000_000 } : {}) });
        did(moved.dealId ? 'deal' : 'stage');
      } else if (roll < 65) {
        const type = rnd.pick(['call', 'meeting', 'email', 'sms', 'note', 'message_in', 'message_out'] as const);
        did((await logInteraction(rnd.chance(0.2) ? manager.actor : actorFor(c.owner), c._id, { type, occurredAt: at() })).revived ? 'revive' : 'interaction');
      } else if (roll < 72) {
        await reassignCustomer(manager.actor, c._id, rnd.pick(everyone).user._id);
        did('owner');
      } else if (roll < 77) {
        await updateCustomer(manager.actor, c._id, rnd.chance(0.5) ? { source: rnd.chance(0.8) ? rnd.pick(sources)._id : null } : { referrer: await aReferrer() });
        did('source');
      } else if (roll < 82) {
        await deleteCustomer(actorFor(c.owner), c._id, at());
        did('delete');
      } else if (roll < 86) {
        const opportunity = await createOpportunity(manager.actor, { customer: c._id, name: `Cơ hội ${step}`, value: (1 + rnd.int(90)) * 1_000_000, source: rnd.pick(sources)._id });
        await winOpportunity(manager.actor, opportunity._id, { now: at() });
        did('opportunityWon');
        // A double tap records nothing twice; nor does a win retried after a crash between the deal
        // and the opportunity (the opportunity still open, its deal already written).
        await winOpportunity(manager.actor, opportunity._id, { now: at() });
        const crashed = await createOpportunity(manager.actor, { customer: c._id, name: `Cơ hội ${step}b`, value: 5_000_000 });
        await recordDeal(manager.actor, { opportunity: crashed._id, customer: c._id, owner: crashed.owner, source: crashed.source, amount: 5_000_000, closedAt: at() });
        await winOpportunity(manager.actor, crashed._id, { now: at() });
      } else if (roll < 96) {
        // The pipeline: steps, edits, losses, wins (today or back-dated) and deletes of open opportunities.
        const o = await anOpportunity();
        const what = o ? rnd.int(6) : 5;
        if (what === 0) await moveOpportunity(manager.actor, o!._id, rnd.pick(openSteps)._id, { now: at() });
        else if (what === 1) await updateOpportunity(manager.actor, o!._id, { value: (1 + rnd.int(90)) * 1_000_000, probability: rnd.int(101), expectedCloseAt: rnd.chance(0.8) ? soon() : null, owner: rnd.pick(everyone).user._id, source: rnd.pick(sources)._id });
        else if (what === 2) await loseOpportunity(manager.actor, o!._id, { reason: 'Giá cao', now: rnd.chance(0.5) ? at() : new Date() });
        else if (what === 3) await winOpportunity(manager.actor, o!._id, { now: new Date(Date.now() + rnd.int(DAY)) });
        else if (what === 4) await deleteOpportunity(manager.actor, o!._id);
        else await createOpportunity(manager.actor, { customer: c._id, name: `Cơ hội ${step}`, value: (1 + rnd.int(90)) * 1_000_000, expectedCloseAt: soon(), probability: rnd.int(101) });
        did(`opportunity ${what}`);
      } else if (roll < 99) {
        const ids = (await live()).slice(0, 1 + rnd.int(5)).map((x) => x._id);
        did('bulk', (await (rnd.chance(0.5) ? bulkChangeStage(manager.actor, ids, rnd.pick(pickable)._id) : bulkAssignOwner(manager.actor, ids, rnd.pick(sales).user._id))).done);
      } else if (roll < 103) {
        const lines = Array.from({ length: 1 + rnd.int(4) }, (_, i) => `Nhập ${step}-${i},${nextPhone()},${rnd.pick(sources).name}`);
        // Some lines merge into a customer already there (and fill in a missing source).
        const existing = await Customer.findOne({ deletedAt: null, 'phones.0': { $exists: true }, source: null }).select('name phones').lean();
        if (existing) lines.push(`${existing.name},${existing.phones[0]},${rnd.pick(sources).name}`);
        const imported = await commitImport(manager.actor, `Họ tên,Số điện thoại,Nguồn\n${lines.join('\n')}\n`, at());
        did('imported', imported.created);
        did('importMerged', imported.merged);
      } else {
        did('swept', (await sweepDontForget(new Date(Date.now() + 60 * DAY))).moved.length);
      }
    } catch (e) {
      // Refusals (a dormant stage by hand, an owner that is not active…) are part of a workload.
      if (!isCrmError(e)) throw e;
      did(`refused ${e.code}`);
    }
  }
  return { manager, sales, done: Object.fromEntries(done) };
}

/** A report's rows in a fixed order, so rows that tie on the sort key compare equal. */
const canonical = <T>(rows: T[]) => [...rows].map((r) => JSON.parse(JSON.stringify(r))).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

async function fullRecount(actor: Actor, period: Period, previous: Period, timezone: string) {
  const [funnel, perDay, conversion, interactions, bySource, byPerson, dormant, current, before, referrers] = await Promise.all([
    customersByStage(actor),
    newCustomersPerDayBySource(actor, period, timezone),
    conversionBySource(actor, period),
    interactionsBySalesperson(actor, period),
    revenueBySource(actor, period),
    revenueBySalesperson(actor, period),
    dormantCount(actor),
    periodSummary(actor, period),
    periodSummary(actor, previous),
    customersByReferrer(actor, period),
  ]);
  return { funnel, perDay, conversion, interactions, revenueBySource: bySource, revenueBySalesperson: byPerson, dormant, current, previous: before, referrers };
}

async function pipelineRecount(actor: Actor, period: Period, timezone: string) {
  const [stages, forecast, bySource, bySalesperson] = await Promise.all([pipelineByStage(actor, openGroupsByScan), weightedForecast(actor, timezone), outcomesBySource(actor, period), outcomesBySalesperson(actor, period)]);
  return { stages, forecast, bySource, bySalesperson };
}

async function expectRollupsEqualRecount(actors: Actor[]) {
  const { timezone } = await getSettings();
  // The workload's days, and today (where createCustomer, the sweep and the imports wrote).
  const periods = [periodFrom({ from: '2026-10-01', to: '2026-10-20' }, timezone), periodFrom({ from: '2026-10-15', to: '2026-11-12' }, timezone), periodFrom({}, timezone)];
  for (const actor of actors) {
    for (const period of periods) {
      const previous = previousPeriod(period, timezone);
      const [figures, pipeline, recountedFigures, recountedPipeline] = await Promise.all([
        dashboardFromRollups(actor, period, previous, timezone),
        pipelineFromRollups(actor, period, timezone),
        fullRecount(actor, period, previous, timezone),
        pipelineRecount(actor, period, timezone),
      ]);
      // /pipeline in chat and the panel's board read the open opportunities from the rollups too.
      expect(await pipelineSummary(actor)).toEqual(await pipelineSummary(actor, { groups: openGroupsByScan }));
      const fromRollups = { ...figures, ...pipeline };
      const recounted = { ...recountedFigures, ...recountedPipeline };
      for (const key of Object.keys(recounted) as (keyof typeof recounted)[]) {
        const want = recounted[key];
        const got = fromRollups[key];
        if (Array.isArray(want)) expect({ key, rows: canonical(got as unknown[]) }).toEqual({ key, rows: canonical(want as unknown[]) });
        else expect({ key, value: got }).toEqual({ key, value: want });
      }
    }
  }
}

describe('dashboard rollups', () => {
  it('equal a full recount after a random workload through the crm calls, for the team and each salesperson', async () => {
    const { manager, sales, done } = await randomWorkload(20261202, 300);
    // Every write path ran, so the comparison below covers each of them.
    for (const what of ['create', 'lead', 'stage', 'deal', 'interaction', 'revive', 'owner', 'source', 'delete', 'opportunityWon', 'bulk', 'imported', 'importMerged', 'swept', ...[0, 1, 2, 3, 4, 5].map((n) => `opportunity ${n}`)]) {
      expect({ what, happened: (done[what] ?? 0) > 0 }).toEqual({ what, happened: true });
    }
    // Something of every kind happened, so the comparison below is not between empty reports.
    expect(await DashboardRollup.countDocuments({ kind: 'customers' })).toBeGreaterThan(0);
    for (const kind of ['newCustomers', 'interactions', 'deals'] as const) expect(await DashboardRollup.countDocuments({ kind })).toBeGreaterThan(0);
    const referred = await customersByReferrer(manager.actor, periodFrom({}, (await getSettings()).timezone));
    expect(referred.filter((r) => r.revenue > 0).length).toBeGreaterThan(0);
    expect(referred.filter((r) => r.won > 0).length).toBeGreaterThan(0);
    // The workload closes most opportunities it opens: leave some open, in more than one step and for
    // more than one owner, so the open pipeline's comparison is not between empty pipelines.
    const steps = (await listOpportunityStages()).filter((st) => st.kind === 'open');
    const customers = await Customer.find({ deletedAt: null, owner: { $ne: null } }).select('_id').limit(4).lean();
    for (const [i, c] of customers.entries()) {
      const o = await createOpportunity(manager.actor, { customer: c._id, name: `Còn mở ${i}`, value: (i + 2) * 1_000_000, probability: 20 + i * 15 });
      await moveOpportunity(manager.actor, o._id, steps[i % steps.length]!._id);
    }
    const open = await pipelineSummary(manager.actor, { groups: openGroupsByScan });
    expect(open.stages.filter((st) => st.count > 0).length).toBeGreaterThan(1);
    expect(open.weighted).toBeGreaterThan(0);
    expect((await reconcileRollups({ fix: false })).differences).toEqual([]);
    await expectRollupsEqualRecount([manager.actor, ...sales.map((s) => s.actor)]);
  }, 120_000);

  it('are found drifted by the verification job, which logs what differed and repairs it', async () => {
    const { manager } = await randomWorkload(7, 40);
    const doc = await DashboardRollup.findOne({ kind: 'customers' }).lean();
    const [cell, count] = Object.entries(doc!.counts as Record<string, number>)[0]!;
    await DashboardRollup.updateOne({ _id: doc!._id }, { $inc: { [`counts.${cell}`]: 5 } });
    const warnings: unknown[][] = [];
    const logger = { info: () => {}, warn: (...args: unknown[]) => warnings.push(args) };
    await rollupVerification.run({ logger } as never, async () => {});
    expect(warnings[0]).toEqual([{ key: doc!.key, field: `counts.${cell}`, expected: count, actual: count + 5 }, 'dashboard rollup differed from the recount (repaired)']);
    expect(warnings[1]![0]).toMatchObject({ differences: 1, repaired: 1 });
    expect((await reconcileRollups({ fix: false })).differences).toEqual([]);
    await expectRollupsEqualRecount([manager.actor]);
    expect(JOBS).toContain(rollupVerification);
  }, 60_000);

  it('are built before the first read on a database that has records but no rollups (an upgrade)', async () => {
    const { manager, sales } = await randomWorkload(99, 30);
    await DashboardRollup.deleteMany({});
    const built = await ensureRollups((await getSettings()).timezone);
    expect(built?.documents).toBeGreaterThan(0);
    // Built once: the next read finds them and recounts nothing.
    expect(await ensureRollups((await getSettings()).timezone)).toBeNull();
    await expectRollupsEqualRecount([manager.actor, sales[0]!.actor]);
  }, 60_000);

  it('are cut anew when the company changes its time zone', async () => {
    const { manager } = await randomWorkload(5, 30);
    await reconcileRollups();
    const rebuilt = await ensureRollups('America/New_York');
    expect(rebuilt?.timezone).toBe('America/New_York');
    const period = { from: new Date('2026-10-01T04:00:00Z'), to: new Date('2026-11-01T03:59:59.999Z') };
    const figures = await dashboardFromRollups(manager.actor, period, previousPeriod(period, 'America/New_York'), 'America/New_York');
    expect(figures.perDay).toEqual(await newCustomersPerDayBySource(manager.actor, period, 'America/New_York'));
  }, 60_000);
});

