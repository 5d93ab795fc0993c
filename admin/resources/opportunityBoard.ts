import { DateTime } from 'luxon';
import type { ActionContext, ActionRequest } from 'adminjs';
import { Opportunity } from '../../models/opportunity.js';
import { Customer } from '../../models/customer.js';
import { Organization } from '../../models/organization.js';
import { Deal } from '../../models/deal.js';
import { User } from '../../models/user.js';
import {
  listOpportunities,
  listOpportunityStages,
  getOpportunityStage,
  moveOpportunity,
  opportunityScope,
  pipelineSummary,
  type OpportunityRecord,
  type WinResult,
} from '../../crm/opportunities/index.js';
import { getSettings } from '../../crm/settings/settings.js';
import { monthOf } from '../../crm/reports/period.js';
import { isCrmError } from '../../crm/shared/errors.js';
import type { Actor } from '../../crm/users/actor.js';
import { actorOf, adminOf } from '../access.js';
import { crmNotice, optional, payloadOf } from '../respond.js';

/**
 * The opportunity board: a column per open step with its totals, then the won and lost steps with
 * what closed this month (a board of every deal ever won would bury the work in progress). Moves
 * go through moveOpportunity; the board answers every move with its fresh state, so a refused card
 * is drawn back where the server kept it.
 */

const MAX_OPEN_CARDS = 500;
const MAX_CLOSED_CARDS = 100;

type Ref = unknown;

/** "Customer (Organization)", or whichever of the two the opportunity is for. */
export async function partyNames(rows: { customer?: Ref; organization?: Ref }[]): Promise<string[]> {
  const ids = (key: 'customer' | 'organization') => rows.map((r) => r[key]).filter((v): v is Ref => Boolean(v)).map(String);
  const [customers, organizations] = await Promise.all([
    Customer.find({ _id: { $in: ids('customer') } }).select('name').lean(),
    Organization.find({ _id: { $in: ids('organization') } }).select('name').lean(),
  ]);
  const name = new Map<string, string>([...customers, ...organizations].map((d) => [String(d._id), d.name as string]));
  return rows.map((r) => {
    const customer = r.customer ? name.get(String(r.customer)) : undefined;
    const organization = r.organization ? name.get(String(r.organization)) : undefined;
    return customer && organization ? `${customer} (${organization})` : (customer ?? organization ?? '');
  });
}

async function boardData(actor: Actor, owner: string | undefined, timezone: string, withOwners: boolean) {
  const now = new Date();
  const month = monthOf(now, timezone);
  const ownerFilter = owner ? { owner } : {};
  const [steps, summary, open, closed, owners] = await Promise.all([
    listOpportunityStages(),
    pipelineSummary(actor, ownerFilter),
    listOpportunities(actor, { status: 'open', ...ownerFilter, limit: MAX_OPEN_CARDS }),
    Opportunity.find({ ...opportunityScope(actor), ...ownerFilter, deletedAt: null, status: { $in: ['won', 'lost'] }, closedAt: { $gte: month.from } })
      .sort({ closedAt: -1 })
      .limit(MAX_CLOSED_CARDS)
      .lean() as Promise<OpportunityRecord[]>,
    withOwners ? User.find({ active: true }).select('name').sort({ name: 1 }).lean() : Promise.resolve([]),
  ]);
  const cards = [...open, ...closed];
  const [parties, ownerDocs, deals] = await Promise.all([
    partyNames(cards),
    User.find({ _id: { $in: cards.map((c) => c.owner).filter(Boolean) } }).select('name').lean(),
    Deal.find({ _id: { $in: closed.map((c) => c.deal).filter(Boolean) } }).select('amount').lean(),
  ]);
  const ownerName = new Map(ownerDocs.map((u) => [String(u._id), u.name]));
  const dealAmount = new Map(deals.map((d) => [String(d._id), d.amount as number]));
  const today = DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
  const day = (d?: Date | null) => (d ? DateTime.fromJSDate(d, { zone: timezone }).toISODate() : null);

  const columns = steps.map((s) => ({ id: String(s._id), name: s.name, color: s.color, kind: s.kind, count: 0, total: 0, weighted: 0, cards: [] as unknown[] }));
  const columnOf = (card: OpportunityRecord) =>
    columns.find((c) => c.id === String(card.stage)) ??
    // A closed opportunity in a since-deactivated won or lost step shows in the first step of its kind.
    (card.status !== 'open' ? columns.find((c) => c.kind === card.status) : undefined);
  cards.forEach((c, i) => {
    const column = columnOf(c);
    if (!column) return;
    const value = c.status === 'won' && c.deal ? (dealAmount.get(String(c.deal)) ?? c.value) : c.value;
    const closeDate = day(c.expectedCloseAt);
    column.cards.push({
      id: String(c._id),
      code: c.code,
      name: c.name,
      party: parties[i],
      value,
      closeDate,
      overdue: c.status === 'open' && Boolean(closeDate && closeDate < today),
      owner: ownerName.get(String(c.owner)) ?? '',
      status: c.status,
    });
    if (c.status !== 'open') {
      column.count += 1;
      column.total += value;
      if (c.status === 'won') column.weighted += value;
    }
  });
  for (const s of summary.stages) {
    const column = columns.find((c) => c.id === String(s.stage._id));
    if (column) Object.assign(column, { count: s.count, total: s.total, weighted: s.weighted });
  }
  return {
    columns,
    owners: owners.map((u) => ({ value: String(u._id), label: u.name })),
    owner: owner ?? '',
  };
}

/**
 * What a win tells the person: the deal is recorded, and when the customer's relationship stage is
 * still open, that their card is where to move them to the won stage (no second deal is recorded).
 */
export function wonNotice(win: WinResult): { message: string; type: 'success'; options: Record<string, string> } {
  const name = win.opportunity.name;
  if (win.offerCustomerWon) return { message: 'oppWonOfferCustomer', type: 'success' as const, options: { name, stage: win.offerCustomerWon.stageName } };
  return { message: 'oppWonDone', type: 'success' as const, options: { name } };
}

/** One drag on the board: to a won step it needs the final amount, to a lost step the reason. */
async function moveFromBoard(actor: Actor, p: Record<string, any>) {
  const id = String(p.id ?? '');
  const name = String((await Opportunity.findById(/^[0-9a-f]{24}$/i.test(id) ? id : null).select('name').lean())?.name ?? '');
  const to = await getOpportunityStage(p.stage);
  const amount = optional(p.amount);
  if (to.kind === 'won' && !amount) return { message: 'oppAmountInvalid', type: 'error' as const };
  const result = await moveOpportunity(actor, id, to._id, { amount, reason: String(p.reason ?? '') });
  if (result.win) return wonNotice(result.win);
  const message = to.kind === 'lost' ? 'oppLostDone' : 'oppMoved';
  return { message, type: 'success' as const, options: { name: result.opportunity.name ?? name, stage: to.name } };
}

export async function boardHandler(request: ActionRequest, _res: unknown, context: ActionContext) {
  const actor = actorOf(context);
  const seesTeam = adminOf(context)?.role !== 'sales';
  const { timezone } = await getSettings();
  const asked = request.method === 'post' ? payloadOf(request).owner : request.query?.owner;
  // A salesperson's board is their own whatever is asked; a manager may narrow it to one person.
  const owner = seesTeam && typeof asked === 'string' && /^[0-9a-f]{24}$/i.test(asked) ? asked : undefined;
  let notice;
  if (request.method === 'post') {
    try {
      notice = await moveFromBoard(actor, payloadOf(request));
    } catch (e) {
      if (!isCrmError(e)) throw e;
      notice = crmNotice(e);
    }
  }
  return { ...(await boardData(actor, owner, timezone, seesTeam)), ...(notice ? { notice } : {}) };
}
