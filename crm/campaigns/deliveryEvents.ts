import { CampaignDelivery } from '../../models/campaignDelivery.js';

/**
 * What providers tell after a send, matched back by the tracking id the delivery was sent with.
 * Tracking ids arrive from outside (a pixel URL, a receipt webhook): an unknown one changes nothing.
 */

/** An email's tracking pixel loaded: the first time is kept. Returns whether it was a campaign delivery's first open. */
export async function recordDeliveryOpened(trackingId: string, at = new Date()): Promise<boolean> {
  if (typeof trackingId !== 'string' || !trackingId || trackingId.length > 80) return false;
  const res = await CampaignDelivery.updateOne({ trackingId, status: 'sent', openedAt: null }, { $set: { openedAt: at } });
  return res.modifiedCount === 1;
}

/** A delivery receipt (SMS gateway, ZNS): overrides "accepted" with what really happened on the phone. */
export async function recordDeliveryReceipt(trackingId: string, delivered: boolean, at = new Date(), providerCode?: string): Promise<boolean> {
  if (typeof trackingId !== 'string' || !trackingId || trackingId.length > 80) return false;
  const $set: Record<string, unknown> = { receipt: delivered ? 'delivered' : 'failed', receiptAt: at };
  if (providerCode) $set.providerCode = String(providerCode).slice(0, 60);
  const res = await CampaignDelivery.updateOne({ trackingId, status: 'sent' }, { $set });
  return res.modifiedCount === 1;
}

/** The tracking id of a delivery: derived from its id, so a retry after a rate limit carries the same one and a provider can de-duplicate. */
export function deliveryTrackingId(deliveryId: { toString(): string }): string {
  return `cd-${deliveryId.toString()}`;
}
