import type { Types } from 'mongoose';
import { DateTime } from 'luxon';
import { CareTemplate, type CareTemplateRecord } from '../../models/careTemplate.js';
import { Customer } from '../../models/customer.js';
import { Deal } from '../../models/deal.js';
import { ScheduledMessage } from '../../models/scheduledMessage.js';
import { CHAT_CHANNELS } from '../../models/channels.js';
import { renderTemplate } from '../campaigns/template.js';
import { ownerNamesOf } from '../campaigns/segment.js';
import { isDuplicateKey } from '../shared/errors.js';
import { birthdaysCelebratedOn } from './birthday.js';
import { hasAddressFilter } from '../campaigns/address.js';
import type { FallbackChannel } from '../scheduledMessages/fallback.js';

/** One customer's occasion of one template: the key is what makes it "at most once". */
interface Occasion {
  customerId: Types.ObjectId;
  key: string;
}

const CUSTOMER_FIELDS = { name: 1, code: 1, owner: 1 } as const;
/**
 * Only customers chot can write to at all: a chat account, or an address on one of the email/SMS
 * channels configured here (the send path falls back to them). A superset: the send decides per customer.
 */
function reachableSomewhere(fallbacks: readonly FallbackChannel[]): Record<string, unknown> {
  return { $or: [...CHAT_CHANNELS, ...fallbacks].map(hasAddressFilter) };
}

/**
 * Turns today's occasions of every active care template into scheduled messages, once the
 * template's local hour has come. Each gets a unique occasion key (template + customer + year for a
 * birthday, template + customer + won deal for "N days after won"), written with an upsert, so a
 * second run, a second worker or a restart queues nothing new; the scheduled-message sender then
 * sends each exactly once. `fallbacks` are the email/SMS channels configured in this process.
 * Returns how many were queued now.
 */
export async function queueCareMessages(now: Date, timezone: string, companyName = '', fallbacks: readonly FallbackChannel[] = []): Promise<number> {
  const local = DateTime.fromJSDate(now, { zone: timezone });
  const templates = (await CareTemplate.find({ active: true }).lean()) as CareTemplateRecord[];
  let queued = 0;
  for (const template of templates) {
    if (local.hour < template.hour) continue;
    const occasions = template.kind === 'birthday' ? await birthdayOccasions(template, local) : await afterWonOccasions(template, local);
    if (!occasions.length) continue;
    const customers = await Customer.find({ _id: { $in: occasions.map((o) => o.customerId) }, deletedAt: null, ...reachableSomewhere(fallbacks) }).select(CUSTOMER_FIELDS).lean();
    const byId = new Map(customers.map((c) => [String(c._id), c]));
    const ownerNames = await ownerNamesOf(customers.map((c) => c.owner));
    for (const occasion of occasions) {
      const customer = byId.get(String(occasion.customerId));
      if (!customer) continue;
      const text = renderTemplate(template.text, customer, ownerNames.get(String(customer.owner)) || companyName);
      if (await queueOnce(template._id, occasion, text, now)) queued += 1;
    }
  }
  return queued;
}

async function birthdayOccasions(template: CareTemplateRecord, local: DateTime): Promise<Occasion[]> {
  const days = birthdaysCelebratedOn(local);
  const found = await Customer.find({ $or: days.map((d) => ({ 'birthday.day': d.day, 'birthday.month': d.month })), deletedAt: null }).select('_id').lean();
  return found.map((c) => ({ customerId: c._id, key: `birthday:${template._id}:${c._id}:${local.year}` }));
}

async function afterWonOccasions(template: CareTemplateRecord, local: DateTime): Promise<Occasion[]> {
  const wonDay = local.startOf('day').minus({ days: template.days ?? 0 });
  const deals = await Deal.find({ closedAt: { $gte: wonDay.toJSDate(), $lt: wonDay.plus({ days: 1 }).toJSDate() }, customer: { $ne: null } }).select('customer').lean();
  return deals.map((d) => ({ customerId: d.customer as Types.ObjectId, key: `won:${template._id}:${d.customer}:${d._id}` }));
}

/** True when this call created the message; an existing key (sent, failed or queued before) is left alone. */
async function queueOnce(templateId: Types.ObjectId, occasion: Occasion, text: string, now: Date): Promise<boolean> {
  try {
    const res = await ScheduledMessage.findOneAndUpdate(
      { occasionKey: occasion.key },
      { $setOnInsert: { occasionKey: occasion.key, careTemplate: templateId, customer: occasion.customerId, text, sendAt: now, status: 'scheduled' } },
      { upsert: true, includeResultMetadata: true },
    );
    return !res.lastErrorObject?.updatedExisting;
  } catch (e) {
    // Another worker inserted the same occasion between our read and write (real MongoDB's unique index).
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}
