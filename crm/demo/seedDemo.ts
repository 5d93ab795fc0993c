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
import { customerSearchText, foldVietnamese } from '../customers/searchText.js';
import { hashPassword } from '../users/users.js';
import { seedDefaults } from '../seed/defaults.js';
// The web chat's own rule, so a demo customer's chat id is one a browser can really open.
import { visitorChatId } from '../../bot/web/identity.js';
import { Organization } from '../../models/organization.js';
import { Opportunity } from '../../models/opportunity.js';
import { bumpCacheVersion } from '../../models/cacheVersion.js';
import { listOpportunityStages, firstOpportunityStage } from '../opportunities/opportunityStages.js';
import { randomSource } from './random.js';
import { planB2b, numberPlan, type B2bContext, type B2bPlan, type DemoCustomerDoc, type OpportunityStages } from './demoB2b.js';
import { reconcileRollups } from '../rollups/rebuild.js';
import { reserveCodes } from './demoCodes.js';

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
/** The counters the organization and opportunity services draw their TC… and CH… codes from. */
const ORGANIZATION_COUNTER = 'organization';
const OPPORTUNITY_COUNTER = 'opportunity';

/** The i-th demo phone number: unique for every i below ten million. */
export function demoPhone(i: number): string {
  const prefix = MOBILE_PREFIXES[i % MOBILE_PREFIXES.length];
  const digits = String((i * 7919) % 10_000_000).padStart(7, '0');
  return `+84${prefix}${digits}`;
}

/** Reserved for examples (RFC 2606): mail to them goes nowhere, so a demo campaign never writes to a real person. */
const DEMO_MAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];

/**
 * Three demo customers in five have an email made from their name (`huong.nguyen123@example.com`),
 * as people imported from a spreadsheet do: a campaign by email reaches them.
 */
export function demoEmail(name: string, seq: number): string | undefined {
  if (seq % 5 >= 3) return undefined;
  const words = foldVietnamese(name).replace(/[^a-z ]/g, '').split(' ').filter(Boolean);
  return `${words.at(-1)}.${words[0]}${seq}@${DEMO_MAIL_DOMAINS[seq % DEMO_MAIL_DOMAINS.length]}`;
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
  organizations: number;
  /** Customers who are contacts at an organization. */
  contacts: number;
  opportunities: number;
  ms: number;
}

/**
 * Realistic demo data: staff, then customers with Vietnamese names and phones, spread over stages,
 * sources and the last six months, each with interactions, some with follow-ups and deals. Unless
 * `b2b` is false, part of them are contacts at organizations, and organizations and some individuals
 * have opportunities (a won one carries its customer's Deal, see demoB2b.ts).
 * Written with insertMany in batches, so 100,000 customers load in minutes on the embedded server.
 */
export async function seedDemo(opts: { customers: number; salesUsers?: number; now?: Date; b2b?: boolean; log?: (msg: string) => void }): Promise<DemoSummary> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => {});
  const b2b = opts.b2b ?? true;
  await seedDefaults();
  const rnd = randomSource(opts.customers * 31 + 7);
  const [stages, sources, groups] = await Promise.all([Stage.find().lean(), Source.find({ active: true }).lean(), Group.find().lean()]);
  const stageByCode = new Map(stages.map((s) => [s.code, s]));
  const stageKind = new Map(stages.map((s) => [String(s._id), s.kind]));
  const weighted = STAGE_WEIGHTS.flatMap(([code, w]) => (stageByCode.has(code) ? Array(w).fill(stageByCode.get(code)!) : []));
  const openStages = stages.filter((s) => s.kind === 'open');
  const opportunityStages = b2b ? await demoPipeline() : undefined;

  const staff = await ensureDemoStaff(opts.salesUsers ?? 8);
  const sales = staff.filter((u) => u.role === 'sales');
  const totals = { interactions: 0, followUps: 0, deals: 0, organizations: 0, contacts: 0, opportunities: 0 };

  for (let offset = 0; offset < opts.customers; offset += BATCH) {
    const size = Math.min(BATCH, opts.customers - offset);
    const codes = await reserveCustomerCodes(size);
    const customerDocs: DemoCustomerDoc[] = codes.map((code) => {
      const seq = Number(code.slice(2));
      const name = `${rnd.pick(FAMILY)} ${rnd.pick(MIDDLE)} ${rnd.pick(GIVEN)}`;
      const phones = [demoPhone(seq)];
      const email = demoEmail(name, seq);
      const stage = rnd.pick(weighted);
      const createdAt = new Date(now.getTime() - rnd.int(180) * DAY - rnd.int(DAY));
      const lastContactAt = rnd.next() < 0.85 ? new Date(createdAt.getTime() + rnd.next() * (now.getTime() - createdAt.getTime())) : undefined;
      const doc: DemoCustomerDoc = {
        _id: new Types.ObjectId(),
        code,
        name,
        phones,
        stage: stage._id,
        owner: rnd.pick(sales)._id,
        source: rnd.pick(sources)._id,
        groups: rnd.next() < 0.4 ? [rnd.pick(groups)._id] : [],
        need: rnd.pick(NEEDS),
        lastContactAt,
        ...(email ? { email } : {}),
        searchText: customerSearchText({ name, code, phones, email }),
        ...(seq % DEMO_WEB_CHAT_EVERY === 1 ? { chatIds: { web: visitorChatId(demoVisitorId(seq)) } } : {}),
        createdAt,
        updatedAt: lastContactAt ?? createdAt,
        __v: 0,
      };
      if (stage.kind === 'dormant') {
        doc.previousStage = rnd.pick(openStages)._id;
        doc.dormantSince = new Date(now.getTime() - rnd.int(20) * DAY);
      }
      return doc;
    });
    // Before interactions and follow-ups: a contact takes its organization's owner.
    const plan = opportunityStages ? await planB2bBatch(customerDocs, { rnd, now, stageKind, opportunityStages }) : undefined;
    const interactionDocs = [];
    const followUpDocs = [];
    const dealDocs: Record<string, unknown>[] = plan?.deals ?? [];
    for (const doc of customerDocs) {
      const { _id, owner, source, createdAt, lastContactAt } = doc;
      const count = 1 + rnd.int(3);
      for (let k = 0; k < count; k++) {
        const type = rnd.pick(['call', 'call', 'meeting', 'email', 'sms', 'note'] as const);
        interactionDocs.push({
          customer: _id,
          user: owner,
          type,
          outcome: type === 'note' ? undefined : rnd.pick(OUTCOMES),
          occurredAt: lastContactAt ?? createdAt,
          countsAsContact: type !== 'note',
          createdAt: lastContactAt ?? createdAt,
          updatedAt: lastContactAt ?? createdAt,
        });
      }
      const kind = stageKind.get(String(doc.stage));
      if (kind === 'open' && rnd.next() < 0.35) {
        const dueAt = new Date(now.getTime() + (rnd.int(20) - 5) * DAY + rnd.int(10) * 3600_000);
        doc.nextFollowUpAt = dueAt;
        followUpDocs.push({ customer: _id, owner, type: rnd.pick(['call', 'meeting', 'email', 'task'] as const), dueAt, status: dueAt < now ? 'open' : 'scheduled', recurrence: 'none', createdAt, updatedAt: createdAt });
      }
      if (kind === 'won' && !plan?.paidByOpportunity.has(String(_id))) {
        const closedAt = lastContactAt ?? createdAt;
        dealDocs.push({ customer: _id, amount: (5 + rnd.int(200)) * 1_000_000, closedAt, by: owner, owner, source, createdAt: closedAt, updatedAt: closedAt });
      }
    }
    // The raw driver: mongoose's per-document casting and validation would dominate at this size.
    // Organizations first and opportunities last, so nothing points at a record not yet written.
    if (plan?.organizations.length) {
      await Organization.collection.insertMany(plan.organizations, { ordered: false });
      // Written past mongoose, so the "organizations in use" caches are told here.
      await bumpCacheVersion('organizationsInUse');
    }
    await Customer.collection.insertMany(customerDocs, { ordered: false });
    if (interactionDocs.length) await Interaction.collection.insertMany(interactionDocs, { ordered: false });
    if (followUpDocs.length) await FollowUp.collection.insertMany(followUpDocs, { ordered: false });
    if (dealDocs.length) await Deal.collection.insertMany(dealDocs, { ordered: false });
    if (plan?.opportunities.length) {
      await Opportunity.collection.insertMany(plan.opportunities, { ordered: false });
      // Written past mongoose, so the "opportunities in use" caches are told here.
      await bumpCacheVersion('opportunitiesInUse');
    }
    totals.interactions += interactionDocs.length;
    totals.followUps += followUpDocs.length;
    totals.deals += dealDocs.length;
    totals.organizations += plan?.organizations.length ?? 0;
    totals.contacts += customerDocs.filter((c) => c.organization).length;
    totals.opportunities += plan?.opportunities.length ?? 0;
    log(`${offset + size} / ${opts.customers} customers`);
  }
  // Written around the crm calls, so the dashboard rollups are recounted once at the end.
  await reconcileRollups();
  return { customers: opts.customers, ...totals, users: staff.length, ms: Date.now() - started };
}

/** Plans a batch's organizations and opportunities, then numbers them with codes reserved in one step each. */
async function planB2bBatch(customers: DemoCustomerDoc[], ctx: B2bContext): Promise<B2bPlan> {
  const plan = planB2b(customers, ctx);
  const [organizationCodes, opportunityCodes] = await Promise.all([
    reserveCodes(ORGANIZATION_COUNTER, 'TC', plan.organizations.length),
    reserveCodes(OPPORTUNITY_COUNTER, 'CH', plan.opportunities.length),
  ]);
  numberPlan(plan, organizationCodes, opportunityCodes);
  return plan;
}

export const DEMO_PASSWORD = 'demo1234';

/** The installation's opportunity pipeline (seeded with the defaults): open steps in order, then won and lost. */
async function demoPipeline(): Promise<OpportunityStages> {
  const [open, won, lost] = await Promise.all([listOpportunityStages(), firstOpportunityStage('won'), firstOpportunityStage('lost')]);
  return { open: open.filter((s) => s.kind === 'open'), won: won._id, lost: lost._id };
}

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
