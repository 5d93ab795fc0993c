import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { FollowUp } from '../../models/followUp.js';
import { Stage } from '../../models/stage.js';
import { customerScope, seesAllCustomers, type Actor } from '../users/actor.js';
import { dayOf } from './period.js';

export interface AgendaFollowUp {
  _id: Types.ObjectId;
  type: string;
  dueAt: Date;
  note?: string | null;
  customer: { _id: Types.ObjectId; code: string; name: string } | null;
}

export interface AgendaCustomer {
  _id: Types.ObjectId;
  code: string;
  name: string;
}

export interface Agenda {
  dueToday: AgendaFollowUp[];
  overdue: AgendaFollowUp[];
  dormant: AgendaCustomer[];
  hotWithoutFollowUp: AgendaCustomer[];
}

/** Stage codes the team treats as hot leads. */
export const HOT_STAGE_CODES = ['nong'];

/**
 * What needs attention today (/today and the morning digest): follow-ups due today, overdue ones,
 * customers in Đừng quên, and hot leads with no follow-up planned. For a salesperson, their own;
 * for `{ ownerId }`, that person's (used by the digest); for managers, the team's.
 */
export async function getAgenda(
  actor: Actor,
  now: Date,
  timezone: string,
  opts: { ownerId?: Types.ObjectId; limit?: number } = {},
): Promise<Agenda> {
  const limit = opts.limit ?? 20;
  const { from: dayStart, to: dayEnd } = dayOf(now, timezone);
  const followUpScope = opts.ownerId ? { owner: opts.ownerId } : seesAllCustomers(actor) ? {} : { owner: (actor as { id: Types.ObjectId }).id };
  const customerFilter = opts.ownerId ? { owner: opts.ownerId } : customerScope(actor);
  const [stages, dueToday, overdue] = await Promise.all([
    Stage.find({ $or: [{ kind: 'dormant' }, { code: { $in: HOT_STAGE_CODES } }] }).select('kind code').lean(),
    FollowUp.find({ ...followUpScope, status: { $in: ['scheduled', 'open'] }, dueAt: { $gte: dayStart, $lte: dayEnd } })
      .sort({ dueAt: 1 })
      .limit(limit)
      .populate('customer', 'code name')
      .lean(),
    FollowUp.find({ ...followUpScope, status: { $in: ['scheduled', 'open'] }, dueAt: { $lt: dayStart } })
      .sort({ dueAt: 1 })
      .limit(limit)
      .populate('customer', 'code name')
      .lean(),
  ]);
  const dormantIds = stages.filter((s) => s.kind === 'dormant').map((s) => s._id);
  const hotIds = stages.filter((s) => HOT_STAGE_CODES.includes(s.code)).map((s) => s._id);
  const [dormant, hotWithoutFollowUp] = await Promise.all([
    dormantIds.length
      ? Customer.find({ ...customerFilter, deletedAt: null, stage: { $in: dormantIds } }).select('code name').sort({ dormantSince: -1 }).limit(limit).lean()
      : [],
    hotIds.length
      ? Customer.find({ ...customerFilter, deletedAt: null, stage: { $in: hotIds }, nextFollowUpAt: null }).select('code name').limit(limit).lean()
      : [],
  ]);
  return {
    dueToday: dueToday as unknown as AgendaFollowUp[],
    overdue: overdue as unknown as AgendaFollowUp[],
    dormant: dormant as AgendaCustomer[],
    hotWithoutFollowUp: hotWithoutFollowUp as AgendaCustomer[],
  };
}

export function isAgendaEmpty(agenda: Agenda): boolean {
  return !agenda.dueToday.length && !agenda.overdue.length && !agenda.dormant.length && !agenda.hotWithoutFollowUp.length;
}
