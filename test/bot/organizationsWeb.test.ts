import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createOrganization } from '../../crm/organizations/organizations.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { Organization } from '../../models/organization.js';
import { newClientId, newVisitorId, startWebChat, TEST_ADMIN_HEADER, type WebChatHarness } from './webHarness.js';

useTestDatabase();

let web: WebChatHarness;
beforeAll(async () => {
  web = await startWebChat();
});
afterAll(async () => {
  await web.stop();
});

type Bubble = { seq: number; from: 'visitor' | 'chot'; text: string; choices?: { label: string; data: string }[] };

/** One chat tab on the website: what it sent and what came back, in order. */
function tab(headers: Record<string, string> = {}) {
  const id = newVisitorId();
  let after = 0;
  const seen: Bubble[] = [];
  return {
    seen,
    async send(fields: Record<string, unknown>) {
      const res = await web.post('/chat/api/messages', { visitorId: id, clientMessageId: newClientId(), after, ...fields }, headers);
      expect(res.status).toBe(200);
      for (const m of res.body.messages as Bubble[]) if (m.seq > after) (seen.push(m), (after = m.seq));
    },
    last: () => seen[seen.length - 1],
  };
}

describe('organizations on the web chat', () => {
  it('asks a website visitor for their company and links them to it by tax code', async () => {
    await makeStaff('sales');
    const org = await createOrganization(SYSTEM, { name: 'Công ty CP Sữa Mộc', taxCode: '0312345678' });
    const visitor = tab();
    await visitor.send({ start: true });
    for (const text of ['Phạm Hà 0912 111 222', 'Cần báo giá sữa cho văn phòng']) await visitor.send({ text });
    expect(visitor.last().text).toContain('Bạn làm ở công ty nào?');
    // The skip choice is numbered on a channel without buttons.
    expect(visitor.last().choices?.map((c) => c.label)).toEqual(['Bỏ qua']);
    await visitor.send({ text: 'Sữa Mộc - mã số thuế 0312.345.678' });
    expect(visitor.last().text).toContain('Cảm ơn Phạm Hà');
    expect(await Customer.findOne({ phones: '+84912111222' }).lean()).toMatchObject({ organization: org._id });
  });

  it('a new company typed on the web becomes an organization owned by the lead owner', async () => {
    const { user } = await makeStaff('sales');
    await createOrganization(SYSTEM, { name: 'Có sẵn' });
    const visitor = tab();
    await visitor.send({ start: true });
    for (const text of ['Đỗ Nam 0912 111 333', 'Mua máy lọc nước']) await visitor.send({ text });
    await visitor.send({ text: 'Công ty TNHH Nước Sạch Hà Nội' });
    const customer = await Customer.findOne({ phones: '+84912111333' }).lean();
    const org = await Organization.findById(customer!.organization).lean();
    expect(org).toMatchObject({ name: 'Công ty TNHH Nước Sạch Hà Nội', code: 'TC000002', owner: user._id });
  });

  it('lets staff /find an organization on the web chat and open its card with the same actions', async () => {
    const { user } = await makeStaff('sales', { email: 'thu.sales@test.vn' });
    await createOrganization(SYSTEM, { name: 'Tập đoàn Hoàng Gia', taxCode: '0302222222', owner: String(user._id) });
    const staff = tab({ [TEST_ADMIN_HEADER]: 'thu.sales@test.vn' });
    await staff.send({ text: '/find hoang gia' });
    expect(staff.last().text).toContain('🏢 TC000001 · Tập đoàn Hoàng Gia');
    expect(staff.last().text).toContain('Chưa có người liên hệ.');
    expect(staff.last().choices?.map((c) => c.label)).toEqual(['➕ Thêm người liên hệ', '💼 Cơ hội', '💬 Trao đổi']);
    await staff.send({ text: '1' });
    expect(staff.last().text).toContain('Thêm người liên hệ cho Tập đoàn Hoàng Gia');
    await staff.send({ text: 'Bà Hạnh' });
    await staff.send({ text: '0912 999 000' });
    await staff.send({ text: 'Người quyết định' });
    await staff.send({ text: 'bỏ qua' });
    expect(staff.last().text).toContain('• Bà Hạnh — Người quyết định · 0912 999 000');
    expect(await Customer.findOne({ name: 'Bà Hạnh' }).lean()).toMatchObject({ contactRole: 'decision_maker', owner: user._id });
  });
});
