import { customerPageData } from '../../admin/resources/customerPage.js';
import { customerHistory } from '../../crm/comments/history.js';
import { addComment } from '../../crm/comments/comments.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { changeStage } from '../../crm/stages/changeStage.js';
import { Stage } from '../../models/stage.js';
import { useTestDatabase } from '../helpers/database.js';
import { watchCommands } from '../helpers/commands.js';
import { makeStaff } from '../helpers/factories.js';

/**
 * The customer page reads the customer's interactions, stage changes and comments once: the
 * comment section's history is made of what the card and the comment list read, and says the same
 * as the chat's history (which reads them itself).
 */
const database = useTestDatabase();
const sent = watchCommands(database);

/**
 * Reads of a collection: finds, and the finds an aggregate sends together (its own collection and
 * each `$unionWith`, as the card reads); the chat conversation's own read of the messages (filtered
 * by type) apart.
 */
const readsOf = (collection: string) =>
  sent.flatMap((e) => {
    const c = e.command as { find?: string; filter?: Record<string, unknown>; aggregate?: string; pipeline?: Record<string, any>[] };
    if (c.find) return [{ coll: c.find, filter: c.filter }];
    if (!c.aggregate || !c.pipeline) return [];
    const unions = c.pipeline.filter((s) => s.$unionWith).map((s) => ({ coll: s.$unionWith.coll as string, filter: s.$unionWith.pipeline?.[0]?.$match }));
    return [{ coll: c.aggregate, filter: c.pipeline[0]?.$match }, ...unions];
  }).filter((r) => r.coll === collection && !r.filter?.type).length;

describe('the customer page', () => {
  it('reads each kind of history once, and shows the history the chat shows', async () => {
    const { actor } = await makeStaff('sales', { name: 'Lan Sales' });
    const customer = await createCustomer(actor, { name: 'Tạ Quang Huy', phones: ['0912000222'] });
    const warm = await Stage.findOne({ code: 'nong' }).lean();
    await logInteraction(actor, customer._id, { type: 'call', text: 'Đã gọi lần đầu' });
    await addComment(actor, customer._id, 'Khách hẹn tuần sau', []);
    await changeStage(actor, customer._id, warm!._id, { reason: 'admin' });
    await logInteraction(actor, customer._id, { type: 'note', text: 'Gửi báo giá' });

    sent.length = 0;
    const page = await customerPageData(actor, customer._id);
    expect({ interactions: readsOf('interactions'), stageChanges: readsOf('stagechanges'), comments: readsOf('comments') }).toEqual({ interactions: 1, stageChanges: 1, comments: 1 });

    const chat = await customerHistory(customer, 'all', 40);
    expect(page.timeline).toEqual(chat);
    expect(page.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['comment', 'interaction', 'stage']));
    expect(page.timeline.find((e) => e.kind === 'stage')).toMatchObject({ who: 'Lan Sales', to: warm!.name });
    expect(page.timeline.find((e) => e.kind === 'comment')).toMatchObject({ who: 'Lan Sales', text: 'Khách hẹn tuần sau' });
  });
});
