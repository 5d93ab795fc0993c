import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Deal } from '../../models/deal.js';
import { Interaction } from '../../models/interaction.js';
import { Source } from '../../models/source.js';
import { Stage } from '../../models/stage.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { SYSTEM } from '../../crm/users/actor.js';

type Id = Types.ObjectId;

/**
 * A sales team's November, with known answers for the dashboard (company zone Asia/Ho_Chi_Minh,
 * UTC+7). Period 1–10 Nov 2026; the previous period of the same length is 22–31 Oct.
 *
 * Created in the period (Lan owns all but the Zalo ones, Minh owns those):
 *   Website ×4 (one won), Zalo OA ×2 (one won), Facebook ×1 → rates 25 %, 50 %, 0 %.
 *   Two of them fall near midnight: 16:59 UTC on 2 Nov is the 2nd locally, 17:30 UTC the 3rd;
 *   one created 17:00 UTC on 31 Oct is 1 Nov locally, so it is in the period.
 * Previous period: Website ×2, none won; one deal of 20,000,000 ₫ (Lan).
 * Deals in the period: 10,000,000 ₫ (Lan, Website), 30,000,000 ₫ (Minh, Zalo OA).
 * Interactions: Lan 3 and Minh 1 in the period, Lan 2 before.
 * Referrers: the customer Chị Hoa referred two Website customers (one won, 10,000,000 ₫); the
 * salesperson Minh referred one Zalo OA customer (won, 30,000,000 ₫).
 */
export const PERIOD = { from: '2026-11-01', to: '2026-11-10' };

export async function seedNovember(lan: { _id: Id }, minh: { _id: Id; name: string }) {
  const [sources, stages] = await Promise.all([Source.find().lean(), Stage.find().lean()]);
  const source = (code: string) => sources.find((s) => s.code === code)!._id;
  const stage = (code: string) => stages.find((s) => s.code === code)!._id;
  let n = 0;
  const customer = async (name: string, at: string, fields: { source: string; owner: Id; stage?: string; referrer?: { kind: 'customer' | 'user'; id: Id } }) => {
    n += 1;
    const c = await createCustomer(SYSTEM, { name, phones: [`0912${String(300000 + n).padStart(6, '0')}`], source: source(fields.source), owner: fields.owner, referrer: fields.referrer ?? null });
    // createdAt is immutable through mongoose: the seed back-dates it on the collection.
    await Customer.collection.updateOne({ _id: c._id }, { $set: { createdAt: new Date(at), stage: stage(fields.stage ?? 'tiep_can') } });
    return c._id as Id;
  };
  const hoa = await customer('Chị Hoa', '2026-09-15T03:00:00Z', { source: 'facebook', owner: lan._id });

  const wonWebsite = await customer('Nguyễn Văn An', '2026-11-01T02:00:00Z', { source: 'website', owner: lan._id, stage: 'chot', referrer: { kind: 'customer', id: hoa } });
  await customer('Trần Thị Bích', '2026-11-02T16:59:00Z', { source: 'website', owner: lan._id, referrer: { kind: 'customer', id: hoa } });
  await customer('Lê Văn Cường', '2026-11-02T17:30:00Z', { source: 'website', owner: lan._id });
  await customer('Phạm Thị Dung', '2026-10-31T17:00:00Z', { source: 'website', owner: lan._id, stage: 'nong' });
  const wonZalo = await customer('Hoàng Văn Em', '2026-11-04T05:00:00Z', { source: 'zalo_oa', owner: minh._id, stage: 'chot', referrer: { kind: 'user', id: minh._id } });
  await customer('Vũ Thị Giang', '2026-11-06T09:00:00Z', { source: 'zalo_oa', owner: minh._id, stage: 'mat' });
  await customer('Đặng Văn Hải', '2026-11-09T10:00:00Z', { source: 'facebook', owner: lan._id });

  const before1 = await customer('Bùi Thị Khánh', '2026-10-25T03:00:00Z', { source: 'website', owner: lan._id });
  await customer('Đỗ Văn Long', '2026-10-31T16:59:00Z', { source: 'website', owner: lan._id });

  await Deal.create([
    { customer: wonWebsite, amount: 10_000_000, closedAt: new Date('2026-11-05T04:00:00Z'), owner: lan._id, source: source('website') },
    { customer: wonZalo, amount: 30_000_000, closedAt: new Date('2026-11-06T04:00:00Z'), owner: minh._id, source: source('zalo_oa') },
    { customer: before1, amount: 20_000_000, closedAt: new Date('2026-10-26T04:00:00Z'), owner: lan._id, source: source('website') },
  ]);
  const interaction = (customer: Id, user: Id, at: string) => ({ customer, user, type: 'call' as const, occurredAt: new Date(at) });
  await Interaction.create([
    interaction(wonWebsite, lan._id, '2026-11-02T03:00:00Z'),
    interaction(wonWebsite, lan._id, '2026-11-03T03:00:00Z'),
    interaction(hoa, lan._id, '2026-11-08T03:00:00Z'),
    interaction(wonZalo, minh._id, '2026-11-05T03:00:00Z'),
    interaction(before1, lan._id, '2026-10-25T05:00:00Z'),
    interaction(before1, lan._id, '2026-10-26T05:00:00Z'),
  ]);
}
