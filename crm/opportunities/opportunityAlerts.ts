import type { Types } from 'mongoose';
import { DateTime } from 'luxon';
import { Opportunity } from '../../models/opportunity.js';
import { Customer } from '../../models/customer.js';
import { Organization } from '../../models/organization.js';

export interface OpportunityAlert {
  _id: Types.ObjectId;
  code: string;
  name: string;
  value: number;
  owner?: Types.ObjectId | null;
  expectedCloseAt?: Date | null;
  lastActivityAt?: Date | null;
  /** Who it is with: the customer's name, or the organization's. */
  withName: string;
}

/** How close "near" is: the close date is within this many days, or already past. */
export const CLOSING_SOON_DAYS = 3;

/** The last day (in the company's zone) that counts as closing soon, as the instant it ends. */
export function closingSoonUntil(now: Date, timezone: string, days = CLOSING_SOON_DAYS): Date {
  return DateTime.fromJSDate(now, { zone: timezone }).plus({ days }).endOf('day').toJSDate();
}

type Row = Omit<OpportunityAlert, 'withName'> & { customer?: Types.ObjectId | null; organization?: Types.ObjectId | null };

async function withNames(list: Row[]): Promise<OpportunityAlert[]> {
  const [customers, organizations] = await Promise.all([
    Customer.find({ _id: { $in: list.map((r) => r.customer).filter(Boolean) } }).select('name').lean(),
    Organization.find({ _id: { $in: list.map((r) => r.organization).filter(Boolean) } }).select('name').lean(),
  ]);
  const name = (docs: { _id: Types.ObjectId; name: string }[], id?: Types.ObjectId | null) => docs.find((d) => String(d._id) === String(id))?.name;
  return list.map((r) => ({
    _id: r._id,
    code: r.code,
    name: r.name,
    value: r.value,
    owner: r.owner,
    expectedCloseAt: r.expectedCloseAt,
    lastActivityAt: r.lastActivityAt,
    withName: name(customers, r.customer) ?? name(organizations, r.organization) ?? '',
  }));
}

const FIELDS = 'code name value owner customer organization expectedCloseAt lastActivityAt';

/** Open opportunities of an owner (or everyone's) whose expected close is within 3 days or past, soonest first. */
export async function opportunitiesClosingSoon(filter: { owner?: Types.ObjectId; customer?: Types.ObjectId }, now: Date, timezone: string, limit = 200): Promise<OpportunityAlert[]> {
  const rows = await Opportunity.find({ ...filter, status: 'open', deletedAt: null, expectedCloseAt: { $ne: null, $lte: closingSoonUntil(now, timezone) } })
    .select(FIELDS)
    .sort({ expectedCloseAt: 1, _id: 1 })
    .limit(limit)
    .lean();
  return withNames(rows as Row[]);
}

/**
 * The don't-forget rule for opportunities: open ones with no activity (a move, a logged
 * interaction with the customer) for `days` days, longest forgotten first. Creation is activity.
 */
export async function staleOpportunities(filter: { owner?: Types.ObjectId }, now: Date, days: number, limit = 200): Promise<OpportunityAlert[]> {
  const before = new Date(now.getTime() - days * 24 * 3600 * 1000);
  // One written before activity was tracked counts from its creation.
  const quiet = { $or: [{ lastActivityAt: { $lt: before } }, { lastActivityAt: null, createdAt: { $lt: before } }] };
  const rows = await Opportunity.find({ ...filter, status: 'open', deletedAt: null, ...quiet })
    .select(FIELDS)
    .sort({ lastActivityAt: 1, _id: 1 })
    .limit(limit)
    .lean();
  return withNames(rows as Row[]);
}
