import { Types } from 'mongoose';
import type { ContactRole } from '../../models/customer.js';
import { customerSearchText, foldVietnamese } from '../customers/searchText.js';
import { demoCompany, demoCompanyIdentity, type DemoCompany } from './demoCompanies.js';
import { weightedPicker, type Random } from './random.js';

const DAY = 86_400_000;

/** A demo customer as seedDemo builds it, before it is written: the fields B2B planning reads or sets. */
export interface DemoCustomerDoc {
  _id: Types.ObjectId;
  code: string;
  name: string;
  phones: string[];
  stage: Types.ObjectId;
  owner: Types.ObjectId;
  source: Types.ObjectId;
  createdAt: Date;
  lastContactAt?: Date;
  searchText: string;
  [field: string]: unknown;
}

export interface OpportunityStages {
  /** In pipeline order. */
  open: { _id: Types.ObjectId; probability?: number | null }[];
  won: Types.ObjectId;
  lost: Types.ObjectId;
}

export interface B2bPlan {
  organizations: Record<string, unknown>[];
  opportunities: Record<string, unknown>[];
  /** The Deal of each won opportunity (one each, the same amount, owner and source). */
  deals: Record<string, unknown>[];
  /** Customers whose won stage is already paid for by a won opportunity's Deal: no second Deal for them. */
  paidByOpportunity: Set<string>;
  /** Each organization's company and contacts, until its number (hence tax code and domain) is known. */
  pending: { company: DemoCompany; contacts: DemoCustomerDoc[] }[];
}

/**
 * The chance that an organization starts at a given customer, who and the next ones become its
 * contacts: with 2.6 contacts each on average, about a quarter of the customers are contacts.
 */
const ORGANIZATION_START = 0.12;
/** Of the individuals (not contacts), this share has an opportunity of their own. */
const INDIVIDUAL_OPPORTUNITY_SHARE = 0.08;
/** Of the organizations, this share has opportunities (one to three). */
const ORGANIZATION_OPPORTUNITY_SHARE = 0.7;

const pickContactCount = weightedPicker([
  [1, 25],
  [2, 30],
  [3, 25],
  [4, 12],
  [5, 8],
]);
const TITLES: Record<ContactRole, string[]> = {
  decision_maker: ['Giám đốc', 'Tổng giám đốc', 'Phó giám đốc', 'Chủ doanh nghiệp'],
  purchaser: ['Trưởng phòng mua hàng', 'Nhân viên mua hàng', 'Trưởng phòng hành chính'],
  user: ['Trưởng phòng kinh doanh', 'Trưởng phòng IT', 'Quản lý kho', 'Kỹ sư dự án'],
  accountant: ['Kế toán trưởng', 'Kế toán tổng hợp'],
  other: ['Trợ lý giám đốc', 'Thư ký', 'Nhân viên hành chính'],
};
const pickLaterRole = weightedPicker<ContactRole>([
  ['purchaser', 35],
  ['user', 30],
  ['accountant', 20],
  ['other', 10],
  ['decision_maker', 5],
]);
const LOST_REASONS = ['Giá cao hơn đối thủ', 'Khách chọn nhà cung cấp khác', 'Dự án bị hoãn sang năm sau', 'Không còn ngân sách', 'Không liên lạc được người quyết định'];

interface Template {
  name: string;
  lines: { name: string; unitPrice: number; min: number; max: number }[];
}
/** What Vietnamese companies buy, at list prices in đồng. */
const COMPANY_DEALS: Template[] = [
  { name: 'Triển khai phần mềm CRM', lines: [{ name: 'Giấy phép CRM (người dùng/năm)', unitPrice: 3_600_000, min: 5, max: 60 }, { name: 'Triển khai và đào tạo', unitPrice: 25_000_000, min: 1, max: 2 }] },
  { name: 'Nội thất văn phòng mới', lines: [{ name: 'Bàn làm việc 1m4', unitPrice: 2_800_000, min: 10, max: 80 }, { name: 'Ghế xoay lưới', unitPrice: 1_900_000, min: 10, max: 80 }] },
  { name: 'Nâng cấp máy chủ', lines: [{ name: 'Máy chủ Dell PowerEdge R750', unitPrice: 185_000_000, min: 1, max: 4 }, { name: 'Bảo trì hệ thống (năm)', unitPrice: 24_000_000, min: 1, max: 1 }] },
  { name: 'Hợp đồng vận chuyển quý', lines: [{ name: 'Vận chuyển container 40ft', unitPrice: 18_500_000, min: 4, max: 40 }] },
  { name: 'Đào tạo kỹ năng bán hàng', lines: [{ name: 'Khoá đào tạo (học viên)', unitPrice: 4_500_000, min: 5, max: 40 }] },
  { name: 'Điều hoà nhà xưởng', lines: [{ name: 'Điều hoà tủ đứng 5HP', unitPrice: 42_000_000, min: 2, max: 20 }, { name: 'Lắp đặt (bộ)', unitPrice: 1_500_000, min: 2, max: 20 }] },
  { name: 'Điện mặt trời áp mái', lines: [{ name: 'Tấm pin 550W', unitPrice: 3_200_000, min: 40, max: 300 }, { name: 'Biến tần 50kW', unitPrice: 68_000_000, min: 1, max: 3 }] },
  { name: 'Xe nâng cho kho hàng', lines: [{ name: 'Xe nâng điện 2 tấn', unitPrice: 450_000_000, min: 1, max: 2 }] },
];
/** What a person buys on their own. */
const PERSONAL_DEALS: Template[] = [
  { name: 'Khoá học tiếng Anh giao tiếp', lines: [{ name: 'Khoá 6 tháng', unitPrice: 12_000_000, min: 1, max: 2 }] },
  { name: 'Bảo hiểm sức khoẻ gia đình', lines: [{ name: 'Gói bảo hiểm (người/năm)', unitPrice: 8_500_000, min: 1, max: 5 }] },
  { name: 'Điện mặt trời hộ gia đình', lines: [{ name: 'Hệ thống 5kWp', unitPrice: 85_000_000, min: 1, max: 1 }] },
  { name: 'Phần mềm bán hàng cho cửa hàng', lines: [{ name: 'Phần mềm bán hàng (năm)', unitPrice: 6_000_000, min: 1, max: 3 }] },
];

export interface B2bContext {
  rnd: Random;
  now: Date;
  /** Each customer's stage kind, by stage id. */
  stageKind: Map<string, string>;
  opportunityStages: OpportunityStages;
}

/**
 * Turns part of a batch of demo customers into contacts at new organizations (changing their owner
 * to the organization's, and giving them a job title, a role and an email at its domain), and gives
 * organizations and some individuals opportunities. An opportunity's outcome follows its customer's
 * stage: a customer in a won stage has at most one won opportunity, whose Deal is that customer's
 * only Deal, so revenue is counted once. Codes are left to the caller, which reserves them in bulk
 * and hands them to `numberPlan`.
 */
export function planB2b(customers: DemoCustomerDoc[], ctx: B2bContext): B2bPlan {
  const plan: B2bPlan = { organizations: [], opportunities: [], deals: [], paidByOpportunity: new Set(), pending: [] };
  const { rnd } = ctx;
  let i = 0;
  while (i < customers.length) {
    if (!rnd.chance(ORGANIZATION_START)) {
      if (rnd.chance(INDIVIDUAL_OPPORTUNITY_SHARE)) addOpportunity(plan, ctx, customers[i], undefined, rnd.pick(PERSONAL_DEALS));
      i += 1;
      continue;
    }
    const contacts = customers.slice(i, i + pickContactCount(rnd));
    i += contacts.length;
    const organization = addOrganization(plan, ctx, contacts);
    if (!rnd.chance(ORGANIZATION_OPPORTUNITY_SHARE)) continue;
    // The decision maker and the purchaser are who a salesperson sells to.
    const buyers = contacts.filter((c) => c.contactRole === 'decision_maker' || c.contactRole === 'purchaser');
    for (let k = 1 + rnd.int(3); k > 0; k--) addOpportunity(plan, ctx, rnd.pick(buyers.length ? buyers : contacts), organization, rnd.pick(COMPANY_DEALS));
  }
  return plan;
}

function addOrganization(plan: B2bPlan, ctx: B2bContext, contacts: DemoCustomerDoc[]): Record<string, unknown> {
  const { rnd } = ctx;
  const { brandSlug, taxPrefix, ...company } = demoCompany(rnd);
  const first = contacts[0];
  const createdAt = new Date(Math.min(...contacts.map((c) => c.createdAt.getTime())));
  const organization = { _id: new Types.ObjectId(), ...company, owner: first.owner, source: first.source, groups: [], createdAt, updatedAt: createdAt, __v: 0 };
  plan.organizations.push(organization);
  plan.pending.push({ company: { ...company, brandSlug, taxPrefix }, contacts });
  contacts.forEach((contact, n) => {
    const role: ContactRole = n === 0 ? 'decision_maker' : pickLaterRole(rnd);
    // One owner per account: a salesperson sees the organization through every contact they own.
    Object.assign(contact, { organization: organization._id, jobTitle: rnd.pick(TITLES[role]), contactRole: role, owner: first.owner });
  });
  return organization;
}

/**
 * Gives each planned organization its code, and from its number its tax code and domain; its
 * contacts get their email at that domain (and it goes into their search text).
 */
export function numberPlan(plan: B2bPlan, organizationCodes: string[], opportunityCodes: string[]): void {
  plan.organizations.forEach((organization, i) => {
    const identity = demoCompanyIdentity(plan.pending[i].company, Number(organizationCodes[i].replace(/\D/g, '')));
    Object.assign(organization, { code: organizationCodes[i], ...identity });
    const taken = new Set<string>();
    plan.pending[i].contacts.forEach((contact) => {
      // Namesakes at one company: the second one's mailbox carries a number.
      let local = emailLocalPart(contact.name);
      for (let n = 2; taken.has(local); n++) local = `${emailLocalPart(contact.name)}${n}`;
      taken.add(local);
      const email = `${local}@${identity.domain}`;
      contact.email = email;
      contact.searchText = customerSearchText({ name: contact.name, code: contact.code, email, phones: contact.phones });
    });
  });
  plan.opportunities.forEach((opportunity, i) => (opportunity.code = opportunityCodes[i]));
}

/** `Nguyễn Văn Đức` → `duc.nguyen`, as Vietnamese company mailboxes usually are. */
function emailLocalPart(name: string): string {
  const words = foldVietnamese(name).split(' ');
  return `${words.at(-1)}.${words[0]}`.replace(/[^a-z.]/g, '');
}

function addOpportunity(plan: B2bPlan, ctx: B2bContext, customer: DemoCustomerDoc, organization: Record<string, unknown> | undefined, template: Template): void {
  const { rnd, now, opportunityStages: stages } = ctx;
  const lines = template.lines.map((l) => ({ name: l.name, quantity: l.min + rnd.int(l.max - l.min + 1), unitPrice: l.unitPrice }));
  const value = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  const kind = ctx.stageKind.get(String(customer.stage));
  const key = String(customer._id);
  const status = kind === 'won' && !plan.paidByOpportunity.has(key) ? 'won' : kind === 'lost' || rnd.chance(0.12) ? 'lost' : 'open';
  const lastTouch = customer.lastContactAt ?? customer.createdAt;
  const base = {
    _id: new Types.ObjectId(),
    name: template.name,
    customer: customer._id,
    ...(organization ? { organization: organization._id } : {}),
    value,
    lines,
    owner: customer.owner,
    source: customer.source,
    status,
    __v: 0,
  };
  if (status === 'open') {
    const step = rnd.int(stages.open.length);
    const createdAt = new Date(customer.createdAt.getTime() + rnd.next() * (now.getTime() - customer.createdAt.getTime()));
    plan.opportunities.push({
      ...base,
      stage: stages.open[step]._id,
      probability: stages.open[step].probability ?? Math.round((100 * (step + 1)) / (stages.open.length + 1)),
      // Around today: some overdue, most in the coming quarter.
      expectedCloseAt: new Date(now.getTime() + (rnd.int(110) - 20) * DAY),
      lastActivityAt: new Date(Math.max(lastTouch.getTime(), createdAt.getTime())),
      createdAt,
      updatedAt: createdAt,
    });
    return;
  }
  // Closed when the customer was last contacted, as the stage-based Deals are, after a sales cycle.
  const closedAt = lastTouch;
  const createdAt = new Date(Math.max(customer.createdAt.getTime(), closedAt.getTime() - (7 + rnd.int(80)) * DAY));
  const closed = { ...base, expectedCloseAt: new Date(closedAt.getTime() + (rnd.int(21) - 10) * DAY), closedAt, lastActivityAt: closedAt, createdAt, updatedAt: closedAt };
  if (status === 'lost') {
    plan.opportunities.push({ ...closed, stage: stages.lost, probability: 0, lostReason: rnd.pick(LOST_REASONS) });
    return;
  }
  const deal = { _id: new Types.ObjectId(), customer: customer._id, ...(organization ? { organization: organization._id } : {}), opportunity: base._id, amount: value, closedAt, by: customer.owner, owner: customer.owner, source: customer.source, createdAt: closedAt, updatedAt: closedAt };
  plan.deals.push(deal);
  plan.paidByOpportunity.add(key);
  plan.opportunities.push({ ...closed, stage: stages.won, probability: 100, deal: deal._id });
}
