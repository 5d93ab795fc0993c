import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer, updateCustomer, findCustomers, deleteCustomer, reassignCustomer, getCustomerForActor } from '../../crm/customers/customers.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { getCustomerCard } from '../../crm/customers/customerCard.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import { Customer } from '../../models/customer.js';
import { Group } from '../../models/group.js';

useTestDatabase();

describe('customers', () => {
  it('creates a customer owned by the salesperson who typed it in, with a normalized phone and a code', async () => {
    const { user, actor } = await makeStaff('sales');
    const c = await createCustomer(actor, { name: '  Phạm   Quỳnh Hương ', phones: ['0912.345.678'], email: 'Huong@Example.vn' });
    expect(c).toMatchObject({ code: 'KH000001', name: 'Phạm Quỳnh Hương', phones: ['+84912345678'], email: 'huong@example.vn' });
    expect(String(c.owner)).toBe(String(user._id));
  });

  it('refuses a second customer with the same phone in another format, naming the existing one', async () => {
    const { actor } = await makeStaff('sales');
    await createCustomer(actor, { name: 'A', phones: ['0912345678'] });
    await expect(createCustomer(actor, { name: 'B', phones: ['+84 912 345 678'] })).rejects.toMatchObject({ code: 'phone.taken', params: { code: 'KH000001' } });
    expect(await Customer.countDocuments()).toBe(1);
  });

  it('refuses a customer without a name and an invalid phone, storing nothing', async () => {
    const { actor } = await makeStaff('sales');
    await expect(createCustomer(actor, { name: '  \u200b ' })).rejects.toMatchObject({ code: 'customer.nameRequired' });
    await expect(createCustomer(actor, { name: 'X', phones: ['123'] })).rejects.toMatchObject({ code: 'phone.invalid' });
    expect(await Customer.countDocuments()).toBe(0);
  });

  describe('search', () => {
    let actor: Awaited<ReturnType<typeof makeStaff>>['actor'];
    beforeEach(async () => {
      ({ actor } = await makeStaff('manager'));
      await createCustomer(actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
      await createCustomer(actor, { name: 'Trần Thị Đào', phones: ['0987654321'] });
      await createCustomer(actor, { name: 'Lê Ngọc Ánh', phones: ['0301234567'] });
    });

    it.each([
      ['nguyen van duc', 'Nguyễn Văn Đức'],
      ['Đức', 'Nguyễn Văn Đức'],
      ['duc', 'Nguyễn Văn Đức'],
      ['DAO', 'Trần Thị Đào'],
      ['ngoc anh', 'Lê Ngọc Ánh'],
      ['0912 345 678', 'Nguyễn Văn Đức'],
      ['+84912345678', 'Nguyễn Văn Đức'],
      ['4321', 'Trần Thị Đào'],
      ['KH000003', 'Lê Ngọc Ánh'],
      ['kh3', 'Lê Ngọc Ánh'],
    ])('%s finds %s', async (query, name) => {
      const { customers } = await findCustomers(actor, query);
      expect(customers.map((c) => c.name)).toEqual([name]);
    });

    it('finds nothing for operators or regex tricks typed as text', async () => {
      for (const q of ['{"$gt": ""}', '.*', '^', '$where', '']) {
        expect((await findCustomers(actor, q)).customers).toEqual([]);
      }
    });

    it('does not match inside a word', async () => {
      expect((await findCustomers(actor, 'uc')).customers).toEqual([]);
    });
  });

  it('a salesperson finds only their own customers; a manager finds all', async () => {
    const { actor: a } = await makeStaff('sales');
    const { actor: b } = await makeStaff('sales');
    const { actor: manager } = await makeStaff('manager');
    await createCustomer(a, { name: 'Khách của A' });
    await createCustomer(b, { name: 'Khách của B' });
    expect((await findCustomers(a, 'khach')).customers.map((c) => c.name)).toEqual(['Khách của A']);
    expect((await findCustomers(manager, 'khach')).customers).toHaveLength(2);
  });

  it('updates details, keeps the search text in step, and refuses a phone that belongs to another customer', async () => {
    const { actor } = await makeStaff('sales');
    const a = await createCustomer(actor, { name: 'Old Name', phones: ['0912345678'] });
    await createCustomer(actor, { name: 'Other', phones: ['0987654321'] });
    await updateCustomer(actor, a._id, { name: 'Võ Thị Sáu' });
    expect((await findCustomers(actor, 'vo thi sau')).customers).toHaveLength(1);
    await expect(updateCustomer(actor, a._id, { phones: ['0987 654 321'] })).rejects.toMatchObject({ code: 'phone.taken' });
    expect((await Customer.findById(a._id).lean())?.phones).toEqual(['+84912345678']);
  });

  it('reassigning is for managers; a salesperson cannot hand a customer to someone else', async () => {
    const { user: seller, actor: sales } = await makeStaff('sales');
    const { user: other } = await makeStaff('sales');
    const { actor: manager } = await makeStaff('manager');
    const c = await createCustomer(sales, { name: 'X' });
    const storedOwner = async () => String((await Customer.findById(c._id).lean())?.owner);
    await expect(reassignCustomer(sales, c._id, other._id)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await storedOwner()).toBe(String(seller._id));
    await expect(updateCustomer(sales, c._id, { owner: other._id })).rejects.toMatchObject({ code: 'forbidden' });
    // The refusal also covers a patch that changes other fields along with the owner.
    await expect(updateCustomer(sales, c._id, { name: 'Y', owner: other._id })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await Customer.findById(c._id).lean()).toMatchObject({ name: 'X' });
    expect(await storedOwner()).toBe(String(seller._id));
    const moved = await reassignCustomer(manager, c._id, other._id);
    expect(String(moved.owner)).toBe(String(other._id));
    expect(await storedOwner()).toBe(String(other._id));
  });

  it('soft-deletes: the record stays, it disappears from searches, and its phone is free for a new lead', async () => {
    const { actor } = await makeStaff('manager');
    const c = await createCustomer(actor, { name: 'Gone', phones: ['0912345678'] });
    await deleteCustomer(actor, c._id);
    expect(await Customer.countDocuments()).toBe(1);
    expect((await findCustomers(actor, 'gone')).customers).toEqual([]);
    await expect(getCustomerForActor(actor, c._id)).rejects.toMatchObject({ code: 'notFound.customer' });
    const lead = await captureLead({ channel: 'web', phone: '0912345678', name: 'New' });
    expect(lead.isNew).toBe(true);
  });

  it('refuses malformed ids as not found', async () => {
    const { actor } = await makeStaff('manager');
    for (const id of ['{"$gt":""}', 'abc', { $gt: '' }, null]) {
      await expect(getCustomerForActor(actor, id)).rejects.toMatchObject({ code: 'notFound.customer' });
    }
  });

  it('builds the customer card with stage, owner, source, groups, last interactions and next follow-ups', async () => {
    const { user, actor } = await makeStaff('sales');
    const vip = await Group.findOne({ name: 'VIP' });
    const lead = await captureLead({ channel: 'telegram', chatId: '5', name: 'Đặng Văn Lâm', phone: '0912345678', need: 'Tư vấn' });
    await Customer.updateOne({ _id: lead.customer._id }, { $set: { owner: user._id, groups: [vip!._id] } });
    await logInteraction(actor, lead.customer._id, { type: 'call', outcome: 'Hẹn gặp' });
    const due = new Date(Date.now() + 86_400_000);
    await scheduleFollowUp(actor, lead.customer._id, { type: 'meeting', dueAt: due });
    const card = await getCustomerCard(actor, lead.customer._id);
    expect(card.stage?.name).toBe('Mới');
    expect(card.owner?.name).toBe(user.name);
    expect(card.source?.name).toBe('Telegram');
    expect(card.groups.map((g) => g.name)).toEqual(['VIP']);
    expect(card.lastInteractions.map((i) => i.type)).toEqual(['call', 'message_in']);
    expect(card.activeFollowUps).toHaveLength(1);
    expect(card.customer.nextFollowUpAt?.getTime()).toBe(due.getTime());
    expect(card.customer.lastContactAt).toBeInstanceOf(Date);
  });
});
