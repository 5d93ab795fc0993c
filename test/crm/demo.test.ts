import { useTestDatabase } from '../helpers/database.js';
import { seedDemo, demoPhone, demoVisitorId } from '../../crm/demo/seedDemo.js';
import { countRecipients } from '../../crm/campaigns/segment.js';
import { startCampaign } from '../../crm/campaigns/lifecycle.js';
import { Campaign } from '../../models/campaign.js';
import { visitorChatId } from '../../bot/web/identity.js';
import { WebConversations } from '../../bot/web/conversations.js';
import { WebSender } from '../../bot/web/sender.js';
import { Notifier } from '../../bot/core/notifier.js';
import { CampaignRunner } from '../../jobs/campaigns/runner.js';
import { systemClock } from '../../jobs/clock.js';
import { createLogger } from '../../app/logger.js';
import { normalizePhone } from '../../crm/customers/phone.js';
import { findCustomers } from '../../crm/customers/customers.js';
import { customersByStage } from '../../crm/reports/reports.js';
import { SYSTEM, userActor } from '../../crm/users/actor.js';
import { pipelineSummary } from '../../crm/opportunities/pipelineSummary.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { User } from '../../models/user.js';
import { verifyLogin } from '../../crm/users/users.js';
import { findOrganizations } from '../../crm/organizations/organizations.js';
import { foldVietnamese } from '../../crm/customers/searchText.js';
import { Organization } from '../../models/organization.js';
import { Opportunity } from '../../models/opportunity.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { Deal } from '../../models/deal.js';
import { Stage } from '../../models/stage.js';

useTestDatabase();

describe('demo data', () => {
  it('demo phones are valid Vietnamese numbers and unique', () => {
    const phones = Array.from({ length: 5000 }, (_, i) => demoPhone(i + 1));
    expect(new Set(phones).size).toBe(5000);
    for (const p of phones.slice(0, 200)) expect(normalizePhone(p)).toBe(p);
  });

  it('loads customers spread over stages, with staff who can log in, and can be run twice', async () => {
    const first = await seedDemo({ customers: 600, salesUsers: 3 });
    expect(first).toMatchObject({ customers: 600, users: 4 });
    await seedDemo({ customers: 100, salesUsers: 3 });
    expect(await Customer.countDocuments()).toBe(700);
    expect(await User.countDocuments()).toBe(4);
    expect(new Set((await Customer.find().select('phones').lean()).map((c) => c.phones[0])).size).toBe(700);
    expect(await Interaction.countDocuments()).toBeGreaterThanOrEqual(700);
    const stages = await customersByStage(SYSTEM);
    expect(stages.filter((s) => s.count > 0).length).toBeGreaterThanOrEqual(6);
    expect(await verifyLogin('demo.sales1@chot.local', 'demo1234')).toMatchObject({ role: 'sales' });
    const any = await Customer.findOne().lean();
    const found = await findCustomers(SYSTEM, any!.name);
    expect(found.customers.length).toBeGreaterThan(0);
  });

  it('gives some demo customers a web chat account, so a demo campaign reaches them and their chat shows it', async () => {
    await seedDemo({ customers: 50, salesUsers: 2 });
    const count = await countRecipients({}, ['web']);
    expect(count).toMatchObject({ total: 10, byChannel: { web: 10 }, inSegment: 50, notReachable: { no_chat_id: 40, opted_out: 0, unreachable: 0 } });
    const first = await Customer.findOne({ code: 'KH000001' }).lean();
    expect(first!.chatIds?.web).toBe(visitorChatId(demoVisitorId(1)));

    const campaign = await Campaign.create({ name: 'Demo', template: 'Chào {ten}, chot có ưu đãi cho bạn', channels: ['web'] });
    await startCampaign(SYSTEM, campaign._id);
    const conversations = new WebConversations();
    const notifier = new Notifier(createLogger('silent'));
    notifier.register(new WebSender(conversations));
    await new CampaignRunner({ clock: systemClock, notifier, logger: createLogger('silent'), signal: new AbortController().signal }).runDue();
    expect((await Campaign.findById(campaign._id).lean())!.counters).toEqual({ targeted: 10, sent: 10, failed: 0, skipped: 0 });
    // What the chat page shows to a browser holding the demo visitor id.
    const shown = await conversations.list(visitorChatId(demoVisitorId(1)), 0);
    expect(shown.map((b) => b.text).join('\n')).toContain(`Chào ${first!.name}, chot có ưu đãi cho bạn`);
  });

  it('gives demo customers emails at reserved example domains, so an email campaign reaches most of them and nobody real', async () => {
    await seedDemo({ customers: 100, salesUsers: 2 });
    const customers = await Customer.find({}).select('name email').lean();
    const withEmail = customers.filter((c) => c.email);
    expect(withEmail.length).toBeGreaterThanOrEqual(60);
    // Individuals at example.com/net/org; B2B contacts at their company's domain, itself under example.com/net.
    for (const c of withEmail) expect(c.email).toMatch(/^[a-z0-9.]+@([a-z0-9-]+\.)?example\.(com|net|org)$/);
    const count = await countRecipients({}, ['web', 'email']);
    expect(count.byChannel.email).toBeGreaterThanOrEqual(50);
    expect(count.total).toBe(count.inSegment - count.notReachable.no_chat_id);
  });
});

/** The tax office's check digit (an oracle written apart from the generator's). */
function taxCodeIsValid(code: string): boolean {
  if (!/^\d{10}$/.test(code)) return false;
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(code[i]), 0);
  return 10 - (sum % 11) === Number(code[9]);
}

describe('demo data for B2B sales', () => {
  it('generates organizations with valid, unique tax codes and domains, and contacts linked to them with a title, a role and an email at the company', async () => {
    const summary = await seedDemo({ customers: 800, salesUsers: 3 });
    await seedDemo({ customers: 200, salesUsers: 3 });
    const organizations = await Organization.find().lean();
    expect(organizations.length).toBeGreaterThan(50);
    expect(summary.contacts).toBeGreaterThan(summary.organizations);
    expect(organizations.filter((o) => !taxCodeIsValid(o.taxCode!))).toEqual([]);
    expect(new Set(organizations.map((o) => o.taxCode)).size).toBe(organizations.length);
    expect(new Set(organizations.map((o) => o.domain)).size).toBe(organizations.length);
    expect(new Set(organizations.map((o) => o.code)).size).toBe(organizations.length);
    for (const o of organizations) expect(o.name).toMatch(/^Công ty (TNHH|Cổ phần) /);
    expect(new Set(organizations.map((o) => o.province)).size).toBeGreaterThanOrEqual(5);

    const contacts = await Customer.find({ organization: { $exists: true } }).lean();
    const byId = new Map(organizations.map((o) => [String(o._id), o]));
    expect(contacts.length).toBeGreaterThan(organizations.length);
    for (const c of contacts) {
      const org = byId.get(String(c.organization))!;
      expect(org).toBeDefined();
      expect(c.email!.endsWith(`@${org.domain}`)).toBe(true);
      expect(c.jobTitle).toBeTruthy();
      expect(c.contactRole).toBeTruthy();
      // A salesperson sees the organization through every contact they own.
      expect(String(c.owner)).toBe(String(org.owner));
    }
    // Every organization has its contacts, one of them the decision maker.
    const roles = new Map<string, Set<string>>();
    for (const c of contacts) roles.set(String(c.organization), (roles.get(String(c.organization)) ?? new Set()).add(c.contactRole!));
    expect(organizations.filter((o) => !roles.get(String(o._id))?.has('decision_maker'))).toEqual([]);
    // The organization service finds a demo company by its name without diacritics.
    const sample = organizations[0];
    const found = await findOrganizations(SYSTEM, foldVietnamese(sample.name), { limit: 100 });
    expect(found.organizations.map((o) => o.code)).toContain(sample.code);
    expect((await findOrganizations(SYSTEM, sample.taxCode!)).organizations.map((o) => o.code)).toEqual([sample.code]);
  });

  it('gives each won opportunity exactly one Deal with its amount, owner and source, and counts revenue once', async () => {
    const summary = await seedDemo({ customers: 1500, salesUsers: 3 });
    const opportunities = await Opportunity.find().lean();
    expect(opportunities.length).toBe(summary.opportunities);
    const byStatus = (s: string) => opportunities.filter((o) => o.status === s);
    expect(byStatus('open').length).toBeGreaterThan(0);
    expect(byStatus('won').length).toBeGreaterThan(0);
    expect(byStatus('lost').length).toBeGreaterThan(0);
    expect(byStatus('lost').every((o) => o.lostReason)).toBe(true);
    expect(opportunities.filter((o) => o.organization).length).toBeGreaterThan(0);
    expect(opportunities.filter((o) => !o.organization).length).toBeGreaterThan(0);
    for (const o of opportunities) expect(o.value).toBe(o.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0));

    const deals = await Deal.find().lean();
    const dealsById = new Map(deals.map((d) => [String(d._id), d]));
    const opportunityOf = (d: { opportunity?: unknown }) => String(d.opportunity ?? '');
    const dealsOf = new Map<string, number>();
    for (const d of deals) if (opportunityOf(d)) dealsOf.set(opportunityOf(d), (dealsOf.get(opportunityOf(d)) ?? 0) + 1);
    for (const o of byStatus('won')) {
      const deal = dealsById.get(String(o.deal))!;
      expect(deal).toBeDefined();
      expect(dealsOf.get(String(o._id))).toBe(1);
      expect({ amount: deal.amount, owner: String(deal.owner), source: String(deal.source), customer: String(deal.customer) }).toEqual({
        amount: o.value,
        owner: String(o.owner),
        source: String(o.source),
        customer: String(o.customer),
      });
    }
    // No Deal for an opportunity still open or lost.
    const notWon = new Set([...byStatus('open'), ...byStatus('lost')].map((o) => String(o._id)));
    expect(deals.filter((d) => notWon.has(opportunityOf(d)))).toEqual([]);

    // Revenue is counted once: every customer in the won stage has exactly one Deal, from a won
    // opportunity or from the stage alone, and nobody else has one.
    const won = await Customer.find({ stage: (await Stage.findOne({ code: 'chot' }).lean())!._id }).select('_id').lean();
    const perCustomer = new Map<string, number>();
    for (const d of deals) perCustomer.set(String(d.customer), (perCustomer.get(String(d.customer)) ?? 0) + 1);
    expect([...perCustomer.keys()].sort()).toEqual(won.map((c) => String(c._id)).sort());
    expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
    expect(summary.deals).toBe(deals.length);
  });

  it('spreads open opportunities over the pipeline steps, with expected closes around today', async () => {
    const now = new Date();
    await seedDemo({ customers: 1500, salesUsers: 3, now });
    const open = await Opportunity.find({ status: 'open' }).lean();
    const steps = await OpportunityStage.find({ kind: 'open' }).lean();
    expect(new Set(open.map((o) => String(o.stage))).size).toBe(steps.length);
    const days = open.map((o) => (o.expectedCloseAt!.getTime() - now.getTime()) / 86_400_000);
    expect(days.some((d) => d < 0)).toBe(true);
    expect(days.some((d) => d > 30)).toBe(true);
    expect(open.every((o) => o.probability! > 0 && o.probability! < 100)).toBe(true);

    // What /pipeline shows a demo salesperson: their own open opportunities, in every step.
    const sales = (await User.findOne({ email: 'demo.sales1@chot.local' }).lean())!;
    const summary = await pipelineSummary(userActor(sales));
    const mine = open.filter((o) => String(o.owner) === String(sales._id));
    expect(summary.count).toBe(mine.length);
    expect(summary.total).toBe(mine.reduce((sum, o) => sum + o.value, 0));
    expect(summary.stages.every((s) => s.count > 0)).toBe(true);
  });

  it('makes no organizations, contacts or opportunities with --no-b2b, and the same customers and revenue rules as before', async () => {
    const summary = await seedDemo({ customers: 600, salesUsers: 3, b2b: false });
    expect(summary).toMatchObject({ organizations: 0, contacts: 0, opportunities: 0 });
    expect(await Organization.countDocuments()).toBe(0);
    expect(await Opportunity.countDocuments()).toBe(0);
    expect(await Customer.countDocuments({ organization: { $exists: true } })).toBe(0);
    const won = await Customer.countDocuments({ stage: (await Stage.findOne({ code: 'chot' }).lean())!._id });
    expect(await Deal.countDocuments()).toBe(won);
  });
});
