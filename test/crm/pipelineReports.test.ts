import { DateTime } from 'luxon';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { Opportunity } from '../../models/opportunity.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { Source } from '../../models/source.js';
import { pipelineByStage, weightedForecast, outcomesBySource, outcomesBySalesperson } from '../../crm/reports/pipeline.js';
import { SYSTEM } from '../../crm/users/actor.js';

/**
 * The pipeline figures against a small data set computed by hand (amounts in millions of đồng,
 * company zone Asia/Ho_Chi_Minh, UTC+7, "now" 20/01/2026):
 *
 *   #  owner  step           value  prob.  expected close (UTC)    counts in (local month)
 *   1  Lan    Tiếp cận         100    10    15/01 03:00             Jan   weighted 10
 *   2  Lan    Báo giá           40    80    31/01 18:00 = 01/02 VN  Feb   weighted 32
 *   3  Minh   Báo giá           60    50    31/12 18:00 = 01/01 VN  Jan   weighted 30
 *   4  Minh   Thương lượng      20    —     10/02                   Feb   weighted 0
 *   5  Minh   Tiếp cận          10    0     —                       —     weighted 0
 *   6  Lan    Tiếp cận        999    deleted: never counted
 *   closed: Lan won (Facebook, 10 days), Lan lost (Facebook, 4 days), Minh won (Website, 3 days),
 *           Minh won in December (outside the period 01–20/01).
 */
useTestDatabase();

const M = 1_000_000;
const ZONE = 'Asia/Ho_Chi_Minh';
const NOW = new Date('2026-01-20T03:00:00Z');
const PERIOD = {
  from: DateTime.fromISO('2026-01-01', { zone: ZONE }).toJSDate(),
  to: DateTime.fromISO('2026-01-20', { zone: ZONE }).endOf('day').toJSDate(),
};

async function dataSet() {
  await OpportunityStage.deleteMany({});
  const [approach, quote, negotiate, won, lost] = await OpportunityStage.create([
    { name: 'Tiếp cận', code: 'tiep-can', order: 10, kind: 'open', probability: 10 },
    { name: 'Gửi báo giá', code: 'bao-gia', order: 20, kind: 'open', probability: 50 },
    { name: 'Thương lượng', code: 'thuong-luong', order: 30, kind: 'open' },
    { name: 'Thắng', code: 'thang', order: 40, kind: 'won', probability: 100 },
    { name: 'Thua', code: 'thua', order: 50, kind: 'lost', probability: 0 },
  ]);
  const lan = await makeStaff('sales', { name: 'Lan' });
  const minh = await makeStaff('sales', { name: 'Minh' });
  const facebook = await Source.create({ name: 'Facebook Ads', code: 'fb-ads' });
  const website = await Source.create({ name: 'Website B2B', code: 'web-b2b' });
  let n = 0;
  const opp = (fields: Record<string, unknown>) => ({ code: `CH${String((n += 1)).padStart(6, '0')}`, name: `Cơ hội ${n}`, ...fields });
  await Opportunity.create([
    opp({ owner: lan.user._id, stage: approach._id, value: 100 * M, probability: 10, expectedCloseAt: new Date('2026-01-15T03:00:00Z') }),
    opp({ owner: lan.user._id, stage: quote._id, value: 40 * M, probability: 80, expectedCloseAt: new Date('2026-01-31T18:00:00Z') }),
    opp({ owner: minh.user._id, stage: quote._id, value: 60 * M, probability: 50, expectedCloseAt: new Date('2025-12-31T18:00:00Z') }),
    opp({ owner: minh.user._id, stage: negotiate._id, value: 20 * M, expectedCloseAt: new Date('2026-02-10T03:00:00Z') }),
    opp({ owner: minh.user._id, stage: approach._id, value: 10 * M, probability: 0 }),
    opp({ owner: lan.user._id, stage: approach._id, value: 999 * M, deletedAt: new Date('2026-01-10T00:00:00Z') }),
  ]);
  const closed = (owner: typeof lan, source: { _id: unknown }, status: 'won' | 'lost', created: string, closedAt: string) =>
    opp({ owner: owner.user._id, source: source._id, stage: status === 'won' ? won._id : lost._id, status, value: 50 * M, closedAt: new Date(closedAt) });
  const closedDocs = await Opportunity.create([
    closed(lan, facebook, 'won', '2026-01-01T00:00:00Z', '2026-01-11T00:00:00Z'),
    closed(lan, facebook, 'lost', '2026-01-05T00:00:00Z', '2026-01-09T00:00:00Z'),
    closed(minh, website, 'won', '2026-01-02T00:00:00Z', '2026-01-05T00:00:00Z'),
    closed(minh, facebook, 'won', '2025-12-01T00:00:00Z', '2025-12-20T00:00:00Z'),
  ]);
  // createdAt is set by mongoose on create: the cycle needs the hand-picked ones.
  const created = ['2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z', '2026-01-02T00:00:00Z', '2025-12-01T00:00:00Z'];
  await Opportunity.collection.bulkWrite(closedDocs.map((d, i) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { createdAt: new Date(created[i]) } } } })));
  return { lan, minh };
}

describe('the pipeline figures of the dashboard', () => {
  it('sums open value per open step, weighted by each opportunity\'s probability', async () => {
    await dataSet();
    expect(await pipelineByStage(SYSTEM)).toMatchObject([
      { name: 'Tiếp cận', count: 2, total: 110 * M, weighted: 10 * M },
      { name: 'Gửi báo giá', count: 2, total: 100 * M, weighted: 62 * M },
      { name: 'Thương lượng', count: 1, total: 20 * M, weighted: 0 },
    ]);
  });

  it('gives a salesperson only their own opportunities', async () => {
    const { lan } = await dataSet();
    expect(await pipelineByStage(lan.actor)).toMatchObject([
      { name: 'Tiếp cận', count: 1, total: 100 * M, weighted: 10 * M },
      { name: 'Gửi báo giá', count: 1, total: 40 * M, weighted: 32 * M },
      { name: 'Thương lượng', count: 0, total: 0, weighted: 0 },
    ]);
    expect(await weightedForecast(lan.actor, ZONE, NOW)).toEqual([
      { month: '2026-01', count: 1, total: 100 * M, weighted: 10 * M },
      { month: '2026-02', count: 1, total: 40 * M, weighted: 32 * M },
    ]);
    expect((await outcomesBySalesperson(lan.actor, PERIOD)).map((r) => r.name)).toEqual(['Lan']);
  });

  it('forecasts this month and next by the expected close date in the company\'s time zone', async () => {
    await dataSet();
    expect(await weightedForecast(SYSTEM, ZONE, NOW)).toEqual([
      { month: '2026-01', count: 2, total: 160 * M, weighted: 40 * M },
      { month: '2026-02', count: 2, total: 60 * M, weighted: 32 * M },
    ]);
  });

  it('gives the win rate and the average cycle of the opportunities closed in the period, by source and by salesperson', async () => {
    await dataSet();
    expect(await outcomesBySource(SYSTEM, PERIOD)).toMatchObject([
      { name: 'Facebook Ads', won: 1, lost: 1, winRate: 0.5, cycleDays: 7 },
      { name: 'Website B2B', won: 1, lost: 0, winRate: 1, cycleDays: 3 },
    ]);
    expect(await outcomesBySalesperson(SYSTEM, PERIOD)).toMatchObject([
      { name: 'Lan', won: 1, lost: 1, winRate: 0.5, cycleDays: 7 },
      { name: 'Minh', won: 1, lost: 0, winRate: 1, cycleDays: 3 },
    ]);
  });
});
