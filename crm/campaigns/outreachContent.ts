import type { Types } from 'mongoose';
import { ZNS_PARAM_FIELDS, type CampaignChannel, type ZnsParamField } from '../../models/campaign.js';
import type { OutreachChannel, OutreachMessage } from '../outreach/types.js';
import type { OutreachRecipient } from '../outreach/address.js';
import { formatPhone } from '../customers/phone.js';
import { CrmError } from '../shared/errors.js';
import { assertKnownPlaceholders, renderTemplate } from './template.js';
import { toUnaccented } from '../outreach/sms/unaccented.js';

/** What a campaign says on email, SMS and ZNS (the chat template is the email body and the default SMS). */
export interface OutreachContent {
  emailSubject?: string | null;
  smsText?: string | null;
  znsTemplateId?: string | null;
  znsParams?: { key: string; field: ZnsParamField }[] | null;
}

export const SMS_TEXT_MAX = 1000;
const ZNS_PARAMS_MAX = 20;

/**
 * Checks the content against the channels chosen: a channel in the list needs what it cannot send
 * without (an email subject, a ZNS template id). Content for a channel not chosen is kept, so
 * taking a channel out and back in loses nothing typed.
 */
export function checkedOutreachContent(input: OutreachContent, channels: readonly CampaignChannel[]): OutreachContent {
  const subject = String(input.emailSubject ?? '').trim();
  if (subject.length > 200 || (channels.includes('email') && !subject)) throw new CrmError('invalid', { field: 'emailSubject' });
  const smsText = String(input.smsText ?? '');
  if (Array.from(smsText).length > SMS_TEXT_MAX) throw new CrmError('invalid', { field: 'smsText' });
  assertKnownPlaceholders(smsText);
  const templateId = String(input.znsTemplateId ?? '').trim();
  // Zalo's template ids are numbers; anything else would only come back as a refusal per customer.
  if ((templateId && !/^\d{1,20}$/.test(templateId)) || (channels.includes('zns') && !templateId)) throw new CrmError('invalid', { field: 'znsTemplateId' });
  const params = (input.znsParams ?? []).filter((p) => p && String(p.key ?? '').trim());
  if (params.length > ZNS_PARAMS_MAX) throw new CrmError('invalid', { field: 'znsParams' });
  const keys = new Set<string>();
  for (const p of params) {
    const key = String(p.key).trim();
    if (!/^[A-Za-z0-9_]{1,60}$/.test(key) || keys.has(key) || !ZNS_PARAM_FIELDS.includes(p.field)) throw new CrmError('invalid', { field: 'znsParams' });
    keys.add(key);
  }
  return {
    emailSubject: subject,
    smsText,
    znsTemplateId: templateId,
    znsParams: params.map((p) => ({ key: String(p.key).trim(), field: p.field })),
  };
}

/**
 * The SMS as this customer gets it: its own text (or the chat template), filled in, without
 * Vietnamese marks, as the SMS sender sends every message (brandname gateways require it).
 */
export function renderSms(template: string, content: OutreachContent, customer: { name?: string | null; code?: string | null }, ownerName: string): string {
  return toUnaccented(renderTemplate(content.smsText?.trim() ? content.smsText : template, customer, ownerName, SMS_TEXT_MAX));
}

/**
 * One campaign's message for one customer on an outreach channel. The tracking id is the
 * delivery's own, so a provider's receipt or an email open finds its way back to it.
 */
export function outreachMessage(
  channel: OutreachChannel,
  campaign: { template: string; outreach?: OutreachContent | null },
  customer: OutreachRecipient & { _id: Types.ObjectId },
  address: string,
  ownerName: string,
  trackingId: string,
): OutreachMessage {
  const content = campaign.outreach ?? {};
  const base = { customerId: customer._id, trackingId, bulk: true };
  if (channel === 'sms') return { ...base, text: renderSms(campaign.template, content, customer, ownerName) };
  const text = renderTemplate(campaign.template, customer, ownerName);
  if (channel === 'email') {
    // The sender makes the HTML from the same text (and adds the unsubscribe link): one way for every email.
    return { ...base, text, subject: renderTemplate(content.emailSubject ?? '', customer, ownerName, 200) };
  }
  const values: Record<ZnsParamField, string> = {
    name: customer.name ?? '',
    code: customer.code ?? '',
    owner: ownerName,
    phone: formatPhone(address),
    email: customer.email ?? '',
  };
  const params = Object.fromEntries((content.znsParams ?? []).map((p) => [p.key, values[p.field]]));
  return { ...base, text, zns: { templateId: content.znsTemplateId ?? '', params } };
}
