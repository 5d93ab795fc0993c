import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { ChatChannel } from '../../models/channels.js';
import { normalizeEmail } from './email/emailAddress.js';
import type { OutreachChannel } from './types.js';

/** The parts of a customer record outreach reads (a lean document or a hydrated one). */
export interface OutreachRecipient {
  name?: string | null;
  code?: string | null;
  email?: string | null;
  phones?: string[] | null;
  optedOut?: Partial<Record<ChatChannel | OutreachChannel, boolean | null>> | null;
}

/**
 * The first of the customer's phones that is a Vietnamese mobile (E.164, +84…): ZNS and brandname
 * SMS reach mobiles in Vietnam only, so a landline or a foreign number is no address for them.
 */
export function vietnameseMobile(phones: readonly string[] | null | undefined): string | null {
  for (const phone of phones ?? []) {
    const parsed = parsePhoneNumberFromString(phone, 'VN');
    if (parsed?.isValid() && parsed.countryCallingCode === '84' && parsed.getType() === 'MOBILE') return parsed.number;
  }
  return null;
}

/** Where a channel would reach this customer: the email, or the E.164 mobile; null when it cannot. */
export function outreachAddress(customer: OutreachRecipient, channel: OutreachChannel): string | null {
  return channel === 'email' ? normalizeEmail(customer.email) : vietnameseMobile(customer.phones);
}

/** Campaigns skip a customer who opted out of this channel (the email link and /stop set every channel). */
export function isOptedOut(customer: OutreachRecipient, channel: ChatChannel | OutreachChannel): boolean {
  return customer.optedOut?.[channel] === true;
}
