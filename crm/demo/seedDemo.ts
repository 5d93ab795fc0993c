import { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { Deal } from '../../models/deal.js';
import { User } from '../../models/user.js';
import { Stage } from '../../models/stage.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { reserveCustomerCodes } from '../customers/customerCodes.js';
import { customerSearchText } from '../customers/searchText.js';
import { hashPassword } from '../users/users.js';
import { seedDefaults } from '../seed/defaults.js';
// The web chat's own rule, so a demo customer's chat id is one a browser can really open.
import { visitorChatId } from '../../bot/web/identity.js';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Thu', 'Gia', 'Hoài', 'Xuân'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Đức', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hiếu', 'Hoa', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Phương', 'Quân', 'Quỳnh', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Trung', 'Tuấn', 'Vân', 'Yến'];
const NEEDS = ['Tư vấn căn hộ 2 phòng ngủ', 'Báo giá gói dịch vụ', 'Mua bảo hiểm sức khoẻ', 'Đăng ký khoá học tiếng Anh', 'Thuê văn phòng quận 1', 'Mua xe trả góp', 'Lắp đặt điện mặt trời', 'Tư vấn phần mềm bán hàng'];
const OUTCOMES = ['Nghe máy, hẹn gọi lại', 'Không nghe máy', 'Quan tâm, gửi báo giá', 'Đã gặp trực tiếp', 'Cần suy nghĩ thêm'];
const MOBILE_PREFIXES = ['90', '91', '93', '94', '96', '97', '98', '86', '88', '32', '33', '35', '37', '39', '70', '76', '77', '79', '81', '83', '84', '85'];
/** How demo customers spread over the stages, by stage code. */
const STAGE_WEIGHTS: [string, number][] = [
  ['moi', 25],
  ['tiep_can', 20],
  ['tiem_nang', 15],
  ['nong', 8],
  ['dung_quen', 7],
  ['chot', 15],
  ['mat', 10],
];
const DAY = 86_400_000;
const BATCH = 5000;

/** A small deterministic generator, so two demo runs of the same size look alike. */
function randomSource(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: T[]) => items[Math.floor(next() * items.length)],
  };
}

/** The i-th demo phone number: unique for every i below ten million. */
export function demoPhone(i: number): string {
  const prefix = MOBILE_PREFIXES[i % MOBILE_PREFIXES.length];
  const digits = String((i * 7919) % 10_000_000).padStart(7, '0');
  return `+84${prefix}${digits}`;
}

/** One demo customer in this many has a web chat account, so a demo campaign reaches someone. */
export const DEMO_WEB_CHAT_EVERY = 5;

/**
 * The i-th demo customer's web chat visitor id (the key a browser keeps in localStorage). Known by
 * design, so a demo can open the chat as that customer; only demo data gets such ids.
 */
export function demoVisitorId(i: number): string {
  return `chot-demo-visitor-${String(i).padStart(8, '0')}`;
}

export interface DemoSummary {
  customers: number;
  interactions: number;
  followUps: number;
  deals: number;
  users: number;
  ms: number;
}

/**
 * Realistic demo data: staff, then customers with Vietnamese names and phones, spread over stages,
 * sources and the last six months, each with interactions, some with follow-ups and deals.
 * Written with insertMany in batches, so 100,000 customers load in minutes on the embedded server.
 */
export async function seedDemo(opts: { customers: number; salesUsers?: number; now?: Date; log?: (msg: string) => void }): Promise<DemoSummary> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => {});
  await seedDefaults();
  const rnd = randomSource(opts.customers * 31 + 7);
  const [stages, sources, groups] = await Promise.all([Stage.find().lean(), Source.find({ active: true }).lean(), Group.find().lean()]);
  const stageByCode = new Map(stages.map((s) => [s.code, s]));
  const weighted = STAGE_WEIGHTS.flatMap(([code, w]) => (stageByCode.has(code) ? Array(w).fill(stageByCode.get(code)!) : []));
  const openStages = stages.filter((s) => s.kind === 'open');

  const staff = await ensureDemoStaff(opts.salesUsers ?? 8);
  const sales = staff.filter((u) => u.role === 'sales');
  let interactions = 0;
  let followUps = 0;
  let deals = 0;

  for (let offset = 0; offset < opts.customers; offset += BATCH) {
    const size = Math.min(BATCH, opts.customers - offset);
    const codes = await reserveCustomerCodes(size);
    const customerDocs = [];
    const interactionDocs = [];
    const followUpDocs = [];
    const dealDocs = [];
    for (const code of codes) {
      const seq = Number(code.slice(2));
      const _id = new Types.ObjectId();
      const name = `${rnd.pick(FAMILY)} ${rnd.pick(MIDDLE)} ${rnd.pick(GIVEN)}`;
      const phones = [demoPhone(seq)];
      const stage = rnd.pick(weighted);
      const owner = rnd.pick(sales);
      const source = rnd.pick(sources);
      const createdAt = new Date(now.getTime() - rnd.int(180) * DAY - rnd.int(DAY));
      const contacted = rnd.next() < 0.85;
      const lastContactAt = contacted ? new Date(createdAt.getTime() + rnd.next() * (now.getTime() - createdAt.getTime())) : undefined;
      const doc: Record<string, unknown> = {
        _id,
        code,
        name,
        phones,
        stage: stage._id,
        owner: owner._id,
        source: source._id,
        groups: rnd.next() < 0.4 ? [rnd.pick(groups)._id] : [],
        need: rnd.pick(NEEDS),
        lastContactAt,
        searchText: customerSearchText({ name, code, phones }),
        ...(seq % DEMO_WEB_CHAT_EVERY === 1 ? { chatIds: { web: visitorChatId(demoVisitorId(seq)) } } : {}),
        createdAt,
        updatedAt: lastContactAt ?? createdAt,
        __v: 0,
      };
      if (stage.kind === 'dormant') {
        doc.previousStage = rnd.pick(openStages)._id;
        doc.dormantSince = new Date(now.getTime() - rnd.int(20) * DAY);
      }
      const count = 1 + rnd.int(3);
      for (let k = 0; k < count; k++) {
        const type = rnd.pick(['call', 'call', 'meeting', 'email', 'sms', 'note'] as const);
        interactionDocs.push({
          customer: _id,
          user: owner._id,
          type,
          outcome: type === 'note' ? undefined : rnd.pick(OUTCOMES),
          occurredAt: lastContactAt ?? createdAt,
          countsAsContact: type !== 'note',
          createdAt: lastContactAt ?? createdAt,
          updatedAt: lastContactAt ?? createdAt,
        });
      }
      if (stage.kind === 'open' && rnd.next() < 0.35) {
        const dueAt = new Date(now.getTime() + (rnd.int(20) - 5) * DAY + rnd.int(10) * 3600_000);
        doc.nextFollowUpAt = dueAt;
        followUpDocs.push({ customer: _id, owner: owner._id, type: rnd.pick(['call', 'meeting', 'email', 'task'] as const), dueAt, status: dueAt < now ? 'open' : 'scheduled', recurrence: 'none', createdAt, updatedAt: createdAt });
      }
      if (stage.kind === 'won') {
        const closedAt = lastContactAt ?? createdAt;
        dealDocs.push({ customer: _id, amount: (5 + rnd.int(200)) * 1_000_000, closedAt, by: owner._id, owner: owner._id, source: source._id, createdAt: closedAt, updatedAt: closedAt });
      }
      customerDocs.push(doc);
    }
    // The raw driver: mongoose's per-document casting and validation would dominate at this size.
    await Customer.collection.insertMany(customerDocs, { ordered: false });
    if (interactionDocs.length) await Interaction.collection.insertMany(interactionDocs, { ordered: false });
    if (followUpDocs.length) await FollowUp.collection.insertMany(followUpDocs, { ordered: false });
    if (dealDocs.length) await Deal.collection.insertMany(dealDocs, { ordered: false });
    interactions += interactionDocs.length;
    followUps += followUpDocs.length;
    deals += dealDocs.length;
    log(`${offset + size} / ${opts.customers} customers`);
  }
  return { customers: opts.customers, interactions, followUps, deals, users: staff.length, ms: Date.now() - started };
}

export const DEMO_PASSWORD = 'demo1234';

/** A manager and N salespeople (demo.sales1@chot.local …), created once. */
async function ensureDemoStaff(salesUsers: number) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const wanted = [
    { email: 'demo.manager@chot.local', name: 'Quản lý Demo', role: 'manager' },
    ...Array.from({ length: salesUsers }, (_, i) => ({ email: `demo.sales${i + 1}@chot.local`, name: `${GIVEN[i % GIVEN.length]} (Sales ${i + 1})`, role: 'sales' })),
  ];
  await User.bulkWrite(wanted.map((u) => ({ updateOne: { filter: { email: u.email }, update: { $setOnInsert: { ...u, passwordHash, active: true, takesNewLeads: u.role === 'sales', language: 'vi', lastLeadAssignedAt: new Date(0) } }, upsert: true } })));
  return User.find({ email: { $in: wanted.map((u) => u.email) } }).select('_id role').lean();
}
