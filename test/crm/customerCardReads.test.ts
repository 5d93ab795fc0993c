import { Types } from 'mongoose';
import { getCustomerCard, peekCustomerCard } from '../../crm/customers/customerCard.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { changeStageFromCard } from '../../crm/stages/changeStageFromCard.js';
import { logInteractionFromCard } from '../../crm/interactions/logFromCard.js';
import { addComment } from '../../crm/comments/comments.js';
import { addFollowers } from '../../crm/comments/followers.js';
import { readTogether } from '../../crm/shared/readTogether.js';
import { CommentRead } from '../../models/commentRead.js';
import { Customer } from '../../models/customer.js';
import { Deal } from '../../models/deal.js';
import { FollowUp } from '../../models/followUp.js';
import { Interaction } from '../../models/interaction.js';
import { Opportunity } from '../../models/opportunity.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { Organization } from '../../models/organization.js';
import { ScheduledMessage } from '../../models/scheduledMessage.js';
import { Stage } from '../../models/stage.js';
import { StageChange } from '../../models/stageChange.js';
import { useTestDatabase } from '../helpers/database.js';
import { watchCommands } from '../helpers/commands.js';
import { makeStaff } from '../helpers/factories.js';

/**
 * The card is read in one database command (crm/shared/readTogether.ts) and still lists exactly
 * what a find per list gives; a stage change from the card reuses that read and shows the same
 * card as reading it again would.
 */
const database = useTestDatabase();
const sent = watchCommands(database);

const ids = (docs: { _id: unknown }[]) => docs.map((d) => String(d._id));
const minutes = (n: number) => new Date(Date.UTC(2026, 10, 20, 9, n));

/** A customer with more of everything than the card shows, beside another customer's records. */
async function busyCustomer() {
  const { actor, user } = await makeStaff('sales', { name: 'Lan Sales' });
  const customer = await createCustomer(actor, { name: 'Trần Văn Bình', phones: ['0912000111'] });
  const other = await createCustomer(actor, { name: 'Lê Thị Khác', phones: ['0912000222'] });
  const step = (await OpportunityStage.findOne({ kind: 'open' }).lean())!;
  for (const c of [customer, other]) {
    await Interaction.collection.insertMany([3, 9, 1, 7, 5, 2, 8].map((n) => ({ customer: c._id, user: user._id, type: 'call', text: `gọi ${n}`, occurredAt: minutes(n) })));
    await FollowUp.collection.insertMany(
      ['open', 'done', 'scheduled', 'open', 'cancelled', 'scheduled', 'open'].map((status, n) => ({ customer: c._id, owner: user._id, type: 'call', status, dueAt: minutes(30 - n) })),
    );
    await Deal.collection.insertMany([4, 1, 6, 2, 5, 3].map((n) => ({ customer: c._id, amount: n * 1000, closedAt: minutes(n) })));
    await Opportunity.collection.insertMany(
      [
        { expectedCloseAt: minutes(9) },
        { expectedCloseAt: null },
        { expectedCloseAt: minutes(3) },
        { expectedCloseAt: null, status: 'won' },
        { expectedCloseAt: minutes(5), deletedAt: minutes(1) },
        { expectedCloseAt: null },
      ].map((o, n) => ({ code: `CH${String(c._id).slice(-4)}${n}`, name: `Cơ hội ${n}`, value: n, stage: step._id, customer: c._id, status: 'open', deletedAt: null, ...o })),
    );
    await ScheduledMessage.collection.insertMany(
      ['scheduled', 'sent', 'sending', 'scheduled', 'cancelled'].map((status, n) => ({ customer: c._id, text: `tin ${n}`, status, sendAt: minutes(40 - n) })),
    );
  }
  return { actor, user, customer, other };
}

describe('the customer card', () => {
  it('lists what a find per list gives, and reads them in one command', async () => {
    const { actor, customer } = await busyCustomer();
    await getCustomerCard(actor, customer._id); // the names' caches
    sent.length = 0;
    const card = await getCustomerCard(actor, customer._id, { readAt: new Date() });
    expect(sent.map((e) => e.commandName)).toEqual(['aggregate']);

    const c = customer._id;
    expect(ids(card.lastInteractions)).toEqual(ids(await Interaction.find({ customer: c }).sort({ occurredAt: -1 }).limit(5).lean()));
    expect(card.lastInteractions.map((i) => i.text)).toEqual(['gọi 9', 'gọi 8', 'gọi 7', 'gọi 5', 'gọi 3']);
    expect(ids(card.activeFollowUps)).toEqual(ids(await FollowUp.find({ customer: c, status: { $in: ['scheduled', 'open'] } }).sort({ dueAt: 1 }).limit(5).lean()));
    expect(card.activeFollowUps).toHaveLength(5);
    expect(card.deals.map((d) => d.amount)).toEqual([6000, 5000, 4000, 3000, 2000]);
    // Dated soonest first, then undated; not the won nor the deleted one.
    expect(card.openOpportunities.map((o) => o.name)).toEqual(['Cơ hội 2', 'Cơ hội 0', 'Cơ hội 1', 'Cơ hội 5']);
    expect(card.scheduledMessages!.map((m) => m.text)).toEqual(['tin 3', 'tin 2', 'tin 0']);
    expect(card.customer).toEqual(await Customer.findById(c).lean());
    expect(card.stage?.name).toBe('Mới');
    expect(card.owner?.name).toBe('Lan Sales');
  });

  it("joins the customer's organization, and not a deleted one", async () => {
    const { actor, customer } = await busyCustomer();
    const org = await Organization.create({ code: 'TC000007', name: 'Hải Đăng' });
    await Customer.updateOne({ _id: customer._id }, { $set: { organization: org._id } });
    await getCustomerCard(actor, customer._id); // the names' caches
    sent.length = 0;
    const card = await getCustomerCard(actor, customer._id);
    expect(sent).toHaveLength(1);
    expect(card.organization).toEqual({ id: String(org._id), code: 'TC000007', name: 'Hải Đăng' });
    expect(card.customer).not.toHaveProperty('__organization');
    // Known customer (a search hit): the organization is one more find in the same command.
    sent.length = 0;
    expect((await getCustomerCard(actor, customer._id, { customer: card.customer })).organization).toEqual(card.organization);
    expect(sent).toHaveLength(1);
    await Organization.updateOne({ _id: org._id }, { $set: { deletedAt: new Date() } });
    expect((await getCustomerCard(actor, customer._id)).organization).toBeNull();
    expect((await getCustomerCard(actor, customer._id, { customer: card.customer })).organization).toBeNull();
  });

  it("refuses a customer that does not exist or is someone else's, as before", async () => {
    const { customer } = await busyCustomer();
    const { actor: binh } = await makeStaff('sales', { name: 'Bình Sales' });
    await expect(getCustomerCard(binh, customer._id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getCustomerCard(binh, new Types.ObjectId())).rejects.toMatchObject({ code: 'notFound.customer' });
    await expect(getCustomerCard(binh, 'nonsense')).rejects.toMatchObject({ code: 'notFound.customer' });
  });

  it('marks unread comments read only when there are some, and peeking does not', async () => {
    const { actor, user, customer } = await busyCustomer();
    const { actor: manager } = await makeStaff('manager', { name: 'Hùng' });
    await addComment(manager, customer._id, 'Khách hỏi giá', []);
    const unread = () => CommentRead.findOne({ user: user._id, customer: customer._id }).lean();
    expect((await unread())?.unread).toBe(1);
    expect((await peekCustomerCard(actor, customer._id)).unread).toBe(true);
    expect((await unread())?.unread).toBe(1);
    sent.length = 0;
    await getCustomerCard(actor, customer._id, { readAt: new Date() });
    expect(sent.map((e) => e.commandName)).toEqual(['aggregate', 'update']);
    expect((await unread())?.unread).toBe(0);
    sent.length = 0;
    await getCustomerCard(actor, customer._id, { readAt: new Date() });
    expect(sent.map((e) => e.commandName)).toEqual(['aggregate']);
  });
});

describe('a stage change from the card', () => {
  it('shows the same card as reading it again after the move, from one read', async () => {
    const { actor, customer } = await busyCustomer();
    const to = (await Stage.findOne({ code: 'tiep_can' }).lean())!;
    await getCustomerCard(actor, customer._id); // the names' caches
    sent.length = 0;
    const result = await changeStageFromCard(actor, customer._id, to._id, { now: new Date() });
    expect(sent.filter((e) => ['find', 'aggregate'].includes(e.commandName))).toHaveLength(1);
    expect(result.changed).toBe(true);
    expect(result.card.stage?.name).toBe('Tiếp cận');
    expect(await StageChange.countDocuments({ customer: customer._id, to: to._id })).toBe(1);
    const again = await getCustomerCard(actor, customer._id);
    expect(result.card).toEqual(again);
  });

  it('reads the deals again when a win records one', async () => {
    const { actor, customer } = await busyCustomer();
    const won = (await Stage.findOne({ kind: 'won' }).lean())!;
    const result = await changeStageFromCard(actor, customer._id, won._id, { dealAmount: 9_000, now: minutes(50) });
    expect(result.card.deals.map((d) => d.amount)).toEqual([9000, 6000, 5000, 4000, 3000]);
    expect(result.card).toEqual(await getCustomerCard(actor, customer._id));
  });

  it('leaves unread comments unread when the move is refused, and marks them when it is shown', async () => {
    const { actor, user, customer } = await busyCustomer();
    const { actor: manager } = await makeStaff('manager', { name: 'Hùng' });
    await addComment(manager, customer._id, 'Khách hỏi giá', []);
    const unread = async () => (await CommentRead.findOne({ user: user._id, customer: customer._id }).lean())?.unread;
    const dormant = (await Stage.findOne({ kind: 'dormant' }).lean())!;
    await expect(changeStageFromCard(actor, customer._id, dormant._id, { now: new Date() })).rejects.toMatchObject({ code: 'stage.dormantByHand' });
    expect(await unread()).toBe(1);
    // A follower reads the card but may not move the customer.
    const { actor: follower, user: followerUser } = await makeStaff('sales', { name: 'Mai' });
    await addFollowers(customer, [followerUser._id], undefined, new Date());
    await addComment(manager, customer._id, 'Mai xem giúp', []);
    const to = (await Stage.findOne({ code: 'tiep_can' }).lean())!;
    await expect(changeStageFromCard(follower, customer._id, to._id, { now: new Date() })).rejects.toMatchObject({ code: 'customer.followerReadOnly' });
    expect((await CommentRead.findOne({ user: followerUser._id, customer: customer._id }).lean())?.unread).toBe(1);
    await changeStageFromCard(actor, customer._id, to._id, { now: new Date() });
    expect(await unread()).toBe(0);
  });
});

describe('an interaction logged from the card', () => {
  it('shows the same card as reading it again after the log, from one read', async () => {
    const { actor, customer } = await busyCustomer();
    await getCustomerCard(actor, customer._id); // the names' caches
    for (const [n, occurredAt] of [minutes(6), minutes(9), minutes(0), new Date()].entries()) {
      sent.length = 0;
      const logged = await logInteractionFromCard(actor, customer._id, { type: 'call', text: `mới ${n}`, occurredAt });
      expect(sent.filter((e) => ['find', 'aggregate'].includes(e.commandName))).toHaveLength(1);
      expect(logged.card).toEqual(await getCustomerCard(actor, customer._id));
    }
    // A few interactions only: the new one is added, none falls off.
    const fresh = await createCustomer(actor, { name: 'Khách mới', phones: ['0912000333'] });
    const logged = await logInteractionFromCard(actor, fresh._id, { type: 'meeting', occurredAt: new Date() });
    expect(logged.card.lastInteractions).toHaveLength(1);
    expect(logged.card).toEqual(await getCustomerCard(actor, fresh._id));
  });

  it('shows a dormant customer revived, in the stage the log moved them to', async () => {
    const { actor, customer } = await busyCustomer();
    const [dormant, warm] = await Promise.all([Stage.findOne({ kind: 'dormant' }).lean(), Stage.findOne({ code: 'nong' }).lean()]);
    await Customer.updateOne({ _id: customer._id }, { $set: { stage: dormant!._id, previousStage: warm!._id, dormantSince: minutes(0) } });
    const logged = await logInteractionFromCard(actor, customer._id, { type: 'call', occurredAt: new Date() });
    expect(logged.revived).toBe(true);
    expect(logged.card.stage?.name).toBe(warm!.name);
    expect(logged.card).toEqual(await getCustomerCard(actor, customer._id));
  });
});

describe('readTogether', () => {
  it('sends the finds as one command and hands back each its own documents, with none', async () => {
    const { customer, other } = await busyCustomer();
    sent.length = 0;
    const read = await readTogether({
      mine: { model: Interaction, filter: { customer: customer._id }, sort: { occurredAt: 1 }, limit: 2 },
      nothing: { model: Deal, filter: { customer: new Types.ObjectId() } },
      theirs: { model: Deal, filter: { customer: other._id }, sort: { amount: -1 }, limit: 1 },
    });
    expect(sent).toHaveLength(1);
    expect(read.mine.map((i) => i.text)).toEqual(['gọi 1', 'gọi 2']);
    expect(read.nothing).toEqual([]);
    expect(read.theirs).toEqual([await Deal.findOne({ customer: other._id }).sort({ amount: -1 }).lean()]);
  });
});
