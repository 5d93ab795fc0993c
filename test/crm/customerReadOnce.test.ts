import { attachFileForStaff } from '../../crm/attachments/attachments.js';
import { addComment } from '../../crm/comments/comments.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { CommentRead } from '../../models/commentRead.js';
import { useTestDatabase } from '../helpers/database.js';
import { watchCommands } from '../helpers/commands.js';
import { makeStaff } from '../helpers/factories.js';

/**
 * A comment and a staff member's file each read the customer once (the access check's read), and
 * still do all they did: the named colleague follows and has the comment unread, the file is kept.
 */
const database = useTestDatabase();
const sent = watchCommands(database);

const customerReads = () => sent.filter((e) => (e.command as { find?: string }).find === 'customers').length;

describe('reading the customer once', () => {
  it('a comment naming a colleague', async () => {
    const { user: owner, actor } = await makeStaff('sales', { name: 'Lan Sales' });
    const { user: minh } = await makeStaff('sales', { name: 'Minh Sales' });
    const { actor: manager } = await makeStaff('manager', { name: 'Hoa Manager' });
    const customer = await createCustomer(actor, { name: 'Tạ Quang Huy', phones: ['0912000333'] });

    sent.length = 0;
    await addComment(manager, customer._id, '@minh xem giúp', [{ _id: minh._id, name: minh.name } as never]);
    expect(customerReads()).toBe(1);
    const unread = await CommentRead.find({ customer: customer._id }).lean();
    expect(unread.map((r) => [String(r.user), r.unread]).sort()).toEqual([[String(owner._id), 1], [String(minh._id), 1]].sort());
  });

  it('a file attached by staff', async () => {
    const { actor } = await makeStaff('sales');
    const customer = await createCustomer(actor, { name: 'Lê Thị Hoa', phones: ['0903111444'] });
    sent.length = 0;
    const stored = await attachFileForStaff(actor, customer._id, { bytes: Buffer.from('ghi chú cuộc gặp'), name: 'note.txt' });
    expect(customerReads()).toBe(1);
    expect(stored).toMatchObject({ customerName: 'Lê Thị Hoa', name: 'note.txt' });
  });
});
