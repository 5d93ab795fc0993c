import { DateTime } from 'luxon';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createOpportunity } from '../../crm/opportunities/opportunities.js';
import { Customer } from '../../models/customer.js';
import { Deal } from '../../models/deal.js';
import { Opportunity } from '../../models/opportunity.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { Stage } from '../../models/stage.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';
import { newClientId, newVisitorId, startWebChat, TEST_ADMIN_HEADER } from './webHarness.js';

useTestDatabase();

const zone = 'Asia/Ho_Chi_Minh';
// Wednesday 2 December 2026, 10:00 in Hanoi.
const NOW = new Date('2026-12-02T03:00:00Z');
const salesTg: TgUser = { id: 6001, first_name: 'Hà' };
const otherTg: TgUser = { id: 6002, first_name: 'Tú' };
const managerTg: TgUser = { id: 6003, first_name: 'Quân' };

const day = (d: Date | null | undefined) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd') : null);

async function team() {
  const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) }, name: 'Hà Sales' });
  const other = await makeStaff('sales', { chatIds: { telegram: String(otherTg.id) }, name: 'Tú Sales' });
  const manager = await makeStaff('manager', { chatIds: { telegram: String(managerTg.id) }, name: 'Quân Manager', takesNewLeads: false });
  return { sales, other, manager };
}

describe('/opp on Telegram', () => {
  it('creates opportunities from an open card with Vietnamese amounts and dates, and the card lists them', async () => {
    const { sales } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Công ty Hoà Bình', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot({ clock: () => NOW });

    // A team that has never used opportunities sees the card it knows.
    await bot.handleUpdate(textUpdate(salesTg, '/find hoa binh'));
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).not.toContain('💼 Cơ hội');

    await bot.handleUpdate(textUpdate(salesTg, '/opp'));
    expect(tg.lastText(salesTg.id)).toContain('Cơ hội mới với Công ty Hoà Bình');
    await bot.handleUpdate(textUpdate(salesTg, 'Phần mềm kế toán 20 máy'));
    expect(tg.lastText(salesTg.id)).toContain('Giá trị dự kiến?');
    await bot.handleUpdate(textUpdate(salesTg, 'ba chục triệu'));
    expect(tg.lastText(salesTg.id)).toContain('Giá trị không hợp lệ');
    await bot.handleUpdate(textUpdate(salesTg, '35tr'));
    expect(tg.lastText(salesTg.id)).toContain('Dự kiến chốt khi nào?');
    await bot.handleUpdate(textUpdate(salesTg, 'sớm thôi'));
    expect(tg.lastText(salesTg.id)).toContain('Chưa hiểu ngày "sớm thôi"');
    await bot.handleUpdate(textUpdate(salesTg, 'cuối tháng'));
    expect(tg.lastText(salesTg.id)).toContain('Khả năng thắng (%)?');
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Bỏ qua')));
    const card = tg.lastText(salesTg.id);
    expect(card).toContain('✅ Đã tạo cơ hội CH000001.');
    expect(card).toContain('💼 CH000001 · Phần mềm kế toán 20 máy');
    expect(card).toContain('Bước: Tiếp cận');
    expect(card).toContain('35.000.000 ₫');
    expect(card).toContain('Dự kiến chốt: 31/12/2026');
    const first = await Opportunity.findOne({ code: 'CH000001' }).lean();
    expect(first).toMatchObject({ value: 35_000_000, probability: 10, status: 'open', customer: customer._id, owner: sales.user._id });
    expect(day(first!.expectedCloseAt)).toBe('2026-12-31');

    // Now the card offers opportunities and lists the open one.
    await bot.handleUpdate(textUpdate(salesTg, '/find hoa binh'));
    expect(tg.lastText(salesTg.id)).toContain('💼 Cơ hội đang mở:');
    expect(tg.lastText(salesTg.id)).toContain('CH000001 Phần mềm kế toán 20 máy — 35.000.000 ₫ · Tiếp cận · chốt 31/12/2026');
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, '💼 Cơ hội')));
    await bot.handleUpdate(textUpdate(salesTg, 'Bảo trì năm'));
    await bot.handleUpdate(textUpdate(salesTg, '1,2 tỷ'));
    await bot.handleUpdate(textUpdate(salesTg, '15/1'));
    await bot.handleUpdate(textUpdate(salesTg, '60%'));
    const second = await Opportunity.findOne({ code: 'CH000002' }).lean();
    expect(second).toMatchObject({ name: 'Bảo trì năm', value: 1_200_000_000, probability: 60 });
    expect(day(second!.expectedCloseAt)).toBe('2027-01-15');

    await bot.handleUpdate(textUpdate(salesTg, '/find hoa binh'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, '💼 Cơ hội')));
    await bot.handleUpdate(textUpdate(salesTg, 'Đào tạo'));
    await bot.handleUpdate(textUpdate(salesTg, '500k'));
    await bot.handleUpdate(textUpdate(salesTg, 'thứ 6 tuần sau'));
    await bot.handleUpdate(textUpdate(salesTg, '80'));
    const third = await Opportunity.findOne({ code: 'CH000003' }).lean();
    expect(third).toMatchObject({ value: 500_000, probability: 80 });
    expect(day(third!.expectedCloseAt)).toBe('2026-12-11');
  });

  it('without an open card /opp says how to start', async () => {
    await team();
    const { bot, tg } = createTelegramTestBot({ clock: () => NOW });
    await bot.handleUpdate(textUpdate(salesTg, '/opp'));
    expect(tg.lastText(salesTg.id)).toContain('Mở thẻ khách trước');
  });

  it('moves, wins with the final amount (one Deal, even tapped twice) and offers Chốt; loses with a reason', async () => {
    const { sales, other } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Công ty Hoà Bình', phones: ['0912345678'] });
    const opp = await createOpportunity(sales.actor, { customer: customer._id, name: 'Phần mềm', value: '35tr' }, { now: NOW });
    const doomed = await createOpportunity(sales.actor, { customer: customer._id, name: 'Phần cứng', value: '90tr' }, { now: NOW });
    const { bot, tg } = createTelegramTestBot({ clock: () => NOW });

    await bot.handleUpdate(buttonUpdate(salesTg, `op:${opp._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Chuyển bước')));
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toEqual(['• Tiếp cận', 'Đánh giá nhu cầu', 'Gửi báo giá', 'Thương lượng', 'Thắng', 'Thua']);
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gửi báo giá')));
    expect(tg.lastText(salesTg.id)).toContain('✅ CH000001: Tiếp cận → Gửi báo giá.');
    expect((await Opportunity.findById(opp._id).lean())!.probability).toBe(50);

    // Someone else's opportunity: a forged or forwarded button only gets a refusal.
    await bot.handleUpdate(buttonUpdate(otherTg, `ow:${opp._id}`));
    expect(tg.lastText(otherTg.id)).toContain('không có quyền');

    await bot.handleUpdate(buttonUpdate(salesTg, `op:${opp._id}`));
    const winData = tg.buttonData(salesTg.id, 'Thắng');
    await bot.handleUpdate(buttonUpdate(salesTg, winData));
    expect(tg.lastText(salesTg.id)).toContain('Số tiền chốt cuối cùng của CH000001');
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toContain('Giữ 35.000.000 ₫');
    await bot.handleUpdate(textUpdate(salesTg, '32tr'));
    const texts = tg.texts(salesTg.id);
    expect(texts.at(-2)).toContain('🏆 Chúc mừng! CH000001 thắng, hợp đồng 32.000.000 ₫ đã ghi nhận.');
    expect(texts.at(-1)).toContain('Khách Công ty Hoà Bình đang ở giai đoạn mở. Chuyển sang Chốt?');
    const offer = tg.buttonData(salesTg.id, 'Chuyển Công ty Hoà Bình sang Chốt');

    // The old win button pressed again: no second deal.
    await bot.handleUpdate(buttonUpdate(salesTg, winData));
    expect(tg.lastText(salesTg.id)).toContain('CH000001 đã thắng trước đó');
    expect(await Deal.find().lean()).toMatchObject([{ amount: 32_000_000, opportunity: opp._id, customer: customer._id }]);

    await bot.handleUpdate(buttonUpdate(salesTg, offer));
    const chot = await Stage.findOne({ code: 'chot' }).lean();
    expect(String((await Customer.findById(customer._id).lean())!.stage)).toBe(String(chot!._id));
    expect(await Deal.countDocuments()).toBe(1);

    // Losing through the pipeline's lost step asks why; the reason is stored.
    const lostStage = await OpportunityStage.findOne({ kind: 'lost' }).lean();
    await bot.handleUpdate(buttonUpdate(salesTg, `oms:${doomed._id}:${lostStage!._id}`));
    expect(tg.lastText(salesTg.id)).toContain('Vì sao CH000002 thua?');
    expect((await Opportunity.findById(doomed._id).lean())!.status).toBe('open');
    await bot.handleUpdate(textUpdate(salesTg, 'Khách chọn bên khác vì giá'));
    expect(tg.lastText(salesTg.id)).toContain('❌ CH000002 đã ghi là thua: Khách chọn bên khác vì giá');
    expect(await Opportunity.findById(doomed._id).lean()).toMatchObject({ status: 'lost', lostReason: 'Khách chọn bên khác vì giá' });
  });
});

describe('/pipeline', () => {
  it('shows a salesperson their own open opportunities by step with totals and weighted totals; a manager the team per owner', async () => {
    const { sales, other } = await team();
    const mine = await createCustomer(sales.actor, { name: 'Khách Hà', phones: ['0912345678'] });
    const theirs = await createCustomer(other.actor, { name: 'Khách Tú', phones: ['0912345679'] });
    const quote = (await OpportunityStage.findOne({ code: 'gui_bao_gia' }).lean())!._id;
    await createOpportunity(sales.actor, { customer: mine._id, name: 'A', value: '100tr', expectedCloseAt: new Date('2026-12-20') }); // 10% → 10tr
    await createOpportunity(sales.actor, { customer: mine._id, name: 'B', value: '200tr', stage: quote }); // 50% → 100tr
    await createOpportunity(other.actor, { customer: theirs._id, name: 'C', value: '1 tỷ', probability: 80 }); // 800tr
    const { bot, tg } = createTelegramTestBot({ clock: () => NOW });

    await bot.handleUpdate(textUpdate(salesTg, '/pipeline'));
    const text = tg.lastText(salesTg.id);
    expect(text).toContain('📊 Pipeline của bạn: 2 cơ hội, tổng 300.000.000 ₫, dự kiến theo xác suất 110.000.000 ₫');
    expect(text).toContain('• Tiếp cận: 1 · 100.000.000 ₫ · dự kiến 10.000.000 ₫');
    expect(text).toContain('• Gửi báo giá: 1 · 200.000.000 ₫ · dự kiến 100.000.000 ₫');
    expect(text).not.toContain('1.000.000.000');
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toEqual(['💼 CH000001 · A', '💼 CH000002 · B']);

    await bot.handleUpdate(textUpdate(managerTg, '/pipeline'));
    const team_ = tg.lastText(managerTg.id);
    expect(team_).toContain('📊 Pipeline của cả nhóm: 3 cơ hội, tổng 1.300.000.000 ₫, dự kiến theo xác suất 910.000.000 ₫');
    expect(team_).toContain('• Tú Sales: 1 · 1.000.000.000 ₫ · dự kiến 800.000.000 ₫');
    expect(team_).toContain('• Hà Sales: 2 · 300.000.000 ₫ · dự kiến 110.000.000 ₫');
  });
});

describe('/opp and /pipeline on the web chat', () => {
  it('a staff member creates an opportunity by typing only, answering choices by number', async () => {
    const web = await startWebChat();
    try {
      const { actor } = await makeStaff('sales', { email: 'lan.sales@test.vn', name: 'Lan' });
      const customer = await createCustomer(actor, { name: 'Trần Minh Long', phones: ['0905222333'] });
      const visitorId = newVisitorId();
      const headers = { [TEST_ADMIN_HEADER]: 'lan.sales@test.vn' };
      let after = 0;
      let choices: string[] = [];
      const send = async (text: string) => {
        const res = await web.post('/chat/api/messages', { visitorId, clientMessageId: newClientId(), after, text }, headers);
        expect(res.status).toBe(200);
        const mine = res.body.messages as { seq: number; from: string; text: string; choices?: { label: string }[] }[];
        after = Math.max(after, ...mine.map((m) => m.seq));
        const answers = mine.filter((m) => m.from === 'chot');
        choices = answers.flatMap((m) => (m.choices ?? []).map((c) => c.label));
        return answers.map((m) => m.text).join('\n');
      };
      expect(await send('/find tran minh long')).toContain('Trần Minh Long');
      expect(await send('/opp')).toContain('Cơ hội mới với Trần Minh Long');
      await send('Thiết bị văn phòng');
      await send('1,2 tỷ');
      await send('cuối tháng');
      const created = await send('1'); // 1. Bỏ qua
      expect(created).toContain('Đã tạo cơ hội CH000001');
      const opp = await Opportunity.findOne({ customer: customer._id }).lean();
      expect(opp).toMatchObject({ value: 1_200_000_000, probability: 10 });
      expect(day(opp!.expectedCloseAt)).toBe(DateTime.now().setZone(zone).endOf('month').toFormat('yyyy-MM-dd'));

      const pipeline = await send('/pipeline');
      expect(pipeline).toContain('Pipeline của bạn: 1 cơ hội, tổng 1.200.000.000 ₫, dự kiến theo xác suất 120.000.000 ₫');
      expect(pipeline).toContain('• Tiếp cận: 1 · 1.200.000.000 ₫ · dự kiến 120.000.000 ₫');
      expect(choices).toEqual(['💼 CH000001 · Thiết bị văn phòng']);
    } finally {
      await web.stop();
    }
  });
});
