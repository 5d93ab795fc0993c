import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { CHAT_CHANNELS } from '../../models/channels.js';
import { skipPendingDeliveries } from '../campaigns/deliveries.js';
import { OUTREACH_CHANNELS } from './types.js';

/**
 * The customer asked to stop campaign messages (the email's unsubscribe link, "/stop" in a chat):
 * every channel's flag is set, chat and outreach alike, so any segment that honours its own
 * channel's flag leaves them out, and a channel they link later is already off. Deliveries still
 * waiting in running campaigns are skipped at once (`opted_out`), whatever channel they were for.
 * Done twice it changes nothing more.
 */
export async function optOutEverywhere(customerId: Types.ObjectId, now: Date = new Date()): Promise<{ skipped: number }> {
  const flags = Object.fromEntries([...CHAT_CHANNELS, ...OUTREACH_CHANNELS].map((c) => [`optedOut.${c}`, true]));
  await Customer.updateOne({ _id: customerId }, { $set: flags, $min: { optedOutEverywhereAt: now } });
  return skipPendingDeliveries(customerId);
}

/** Whether the customer has asked to stop everything (the unsubscribe page says "already done"). */
export async function optedOutEverywhere(customerId: Types.ObjectId): Promise<boolean> {
  const customer = await Customer.findById(customerId).select('optedOutEverywhereAt').lean();
  return Boolean(customer?.optedOutEverywhereAt);
}
