import { startPanel, Browser, ADMIN } from '../admin/harness.js';
import { Customer } from '../../models/customer.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Notifier } from '../../bot/core/notifier.js';
import { WebSender } from '../../bot/web/sender.js';
import { WebConversations } from '../../bot/web/conversations.js';
import { CampaignRunner } from '../../jobs/campaigns/runner.js';
import { createLogger } from '../../app/logger.js';
import { ManualClock } from '../../jobs/clock.js';
import { Campaign } from '../../models/campaign.js';

let panel: Awaited<ReturnType<typeof startPanel>>;
beforeAll(async () => { panel = await startPanel(); }, 60000);
afterAll(async () => { await panel?.stop(); });
it('repro', async () => {
  const admin = new Browser(panel.base);
  await admin.login(ADMIN.email, ADMIN.password);
  for (const [n, p] of [['A', '0912000001'], ['B', '0912000002']]) {
    const c = await createCustomer(SYSTEM, { name: n, phones: [p] });
    await Customer.updateOne({ _id: c._id }, { $set: { 'chatIds.web': 'v-' + n } });
  }
  const created = await admin.api('POST', '/resources/Campaign/actions/new', { name: 'X', 'channels.0': 'web', template: 'Chào {ten}' });
  const id = created.data.record.id;
  const started = await admin.api('POST', `/resources/Campaign/records/${id}/launch`, { op: 'start' });
  console.log(JSON.stringify(started.data.launch.report));
  const notifier = new Notifier(createLogger('silent'));
  notifier.register(new WebSender(new WebConversations()));
  const runner = new CampaignRunner({ clock: new ManualClock(new Date().toISOString()), notifier, logger: createLogger('silent'), signal: new AbortController().signal });
  console.log(JSON.stringify(await runner.runDue()));
  const after = await admin.api('GET', `/resources/Campaign/records/${id}/launch`);
  console.log(JSON.stringify(after.data.launch.report), after.data.launch.status, JSON.stringify((await Campaign.findById(id).lean())!.counters));
  const show = await admin.api('GET', `/resources/Campaign/records/${id}/show`);
  console.log(JSON.stringify(show.data.record.params));
  const listed = await admin.api('GET', `/resources/Campaign/actions/list`);
  console.log(JSON.stringify(listed.data.records[0].params));
}, 60000);
