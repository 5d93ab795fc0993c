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
import { SYSTEM } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { User } from '../../models/user.js';
import { verifyLogin } from '../../crm/users/users.js';

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
});
