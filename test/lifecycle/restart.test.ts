import { jest } from '@jest/globals';
import { e164, phoneOf, Staff, useProduct, webLead } from './product.js';

/**
 * The newcomer's path, through restarts: leads by web chat, the admin logs in, works a customer
 * in /chat and imports a CSV; chot is stopped (SIGTERM) and started on its own data, twice over.
 * Everything confirmed is still there and everything still works: new leads, codes that go on
 * from the last one, the saved stage order, revenue on the dashboard.
 */
jest.setTimeout(180_000);

const products = useProduct();

describe('chot stopped and started again on its own data', () => {
  it('keeps every lead, staff action, import and setting, and keeps working', async () => {
    await products.current.start();
    const before = [await webLead(products.current.base, 'Nguyễn Thị Lan', phoneOf(1), '10.1.0.1'), await webLead(products.current.base, 'Trần Văn Bình', phoneOf(2), '10.1.0.2')];
    expect(before.map((l) => l.confirmed)).toEqual([true, true]);

    const admin = new Staff(products.current.base);
    expect(await admin.login()).toBe(302);
    // Works the first lead in /chat: find, open the card, move it to "Chốt" with an amount.
    const card = await admin.chat({ text: '/find Lan' });
    expect(card.text).toContain('KH000001');
    const stageButton = card.choices!.find((c) => c.label.includes('giai đoạn'))!;
    const stages = await admin.chat({ choice: stageButton.data });
    const won = stages.choices!.find((c) => c.label.includes('Chốt'))!;
    const askAmount = await admin.chat({ choice: won.data });
    expect(askAmount.text).toContain('Giá trị hợp đồng');
    expect((await admin.chat({ text: '15000000' })).text).toContain('Chốt');

    // Imports a CSV through the panel.
    const csv = ['Họ tên,Số điện thoại,Nhu cầu', ...Array.from({ length: 50 }, (_, i) => `Khách nhập ${i},${phoneOf(100 + i)},Mua nhà`)].join('\n');
    const imported = await admin.api('POST', '/resources/Customer/actions/importCsv', { step: 'commit', csv });
    expect(imported.data.result).toMatchObject({ created: 50 });

    // Reorders the stages: "Nóng" before "Tiềm năng".
    const db = await products.current.db();
    const order = async () => (await (await products.current.db()).collection('stages').find({}).sort({ order: 1 }).toArray()).map((s) => s.code);
    const stagesBefore = await order();
    const swapped = [...stagesBefore];
    const [a, b] = [swapped.indexOf('tiem_nang'), swapped.indexOf('nong')];
    [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
    const stageIds = new Map((await db.collection('stages').find({}).toArray()).map((s) => [s.code, String(s._id)]));
    const reorder = await admin.api('POST', '/resources/Stage/actions/reorder', { ids: swapped.map((c) => stageIds.get(c)).join(',') });
    expect(reorder.data.notice).toMatchObject({ type: 'success' });
    expect(await order()).toEqual(swapped);

    for (let restart = 1; restart <= 2; restart++) {
      await products.current.stop();
      expect(products.current.app.exitCode).toBe(0);
      await products.current.start();
      const db = await products.current.db();
      const lan = await db.collection('customers').findOne({ phones: e164(phoneOf(1)) });
      expect(lan).toMatchObject({ code: 'KH000001', name: 'Nguyễn Thị Lan' });
      const wonStage = await db.collection('stages').findOne({ _id: lan!.stage });
      expect(wonStage!.code).toBe('chot');
      expect(await db.collection('deals').findOne({ customer: lan!._id })).toMatchObject({ amount: 15_000_000 });
      expect(await db.collection('customers').countDocuments({ phones: { $in: Array.from({ length: 50 }, (_, i) => e164(phoneOf(100 + i))) } })).toBe(50);
      expect(await order()).toEqual(swapped);

      // Still works: a new lead gets the next code, the panel logs in, the dashboard counts the revenue.
      const lead = await webLead(products.current.base, `Khách sau lần ${restart}`, phoneOf(10 + restart), `10.2.0.${restart}`);
      expect(lead.confirmed).toBe(true);
      const fresh = await db.collection('customers').findOne({ phones: e164(phoneOf(10 + restart)) });
      // Codes go on from the last one: 2 leads and 50 imported, then a lead and a hand-made customer per round.
      expect(fresh!.code).toBe(`KH${String(51 + 2 * restart).padStart(6, "0")}`);
      const again = new Staff(products.current.base);
      expect(await again.login()).toBe(302);
      const dashboard = await again.api('GET', '/dashboard');
      expect(JSON.stringify(dashboard.data)).toContain('15000000');
      const created = await again.api('POST', '/resources/Customer/actions/new', { name: `Tạo tay ${restart}`, 'phones.0': phoneOf(20 + restart) });
      expect(created.status).toBe(200);
      expect(await db.collection('customers').countDocuments({ phones: e164(phoneOf(20 + restart)) })).toBe(1);
    }
  });
});
