import type { Types } from 'mongoose';
import { CheckIn } from '../../models/checkIn.js';
import type { ChatChannel } from '../../models/channels.js';
import { getCustomerForActor } from '../customers/customers.js';
import { CrmError } from '../shared/errors.js';
import type { Actor } from '../users/actor.js';

export interface CheckInInput {
  latitude: number;
  longitude: number;
  at: Date;
  channel?: ChatChannel;
  during?: string;
}

export interface CheckInItem {
  id: string;
  latitude: number;
  longitude: number;
  at: Date;
  by?: string;
  during?: string;
  /** Opens the place in a maps site; nothing is loaded from it while the card is shown. */
  mapsUrl: string;
}

export function mapsUrl(latitude: number, longitude: number): string {
  return `https://www.google.com/maps?q=${latitude},${longitude}`;
}

function validCoordinate(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= max;
}

/** Records that the actor was at a place for a customer they may act on. */
export async function recordCheckIn(actor: Actor, customerId: unknown, input: CheckInInput): Promise<{ id: Types.ObjectId; customerName: string }> {
  if (actor.kind !== 'user') throw new CrmError('forbidden');
  if (!validCoordinate(input.latitude, 90) || !validCoordinate(input.longitude, 180)) throw new CrmError('invalid', { field: 'location' });
  const customer = await getCustomerForActor(actor, customerId);
  const doc = await CheckIn.create({
    customer: customer._id,
    user: actor.id,
    latitude: input.latitude,
    longitude: input.longitude,
    at: input.at,
    channel: input.channel,
    during: input.during,
  });
  return { id: doc._id, customerName: customer.name };
}

/** A customer's check-ins, newest first, with who made each. */
export async function listCheckIns(actor: Actor, customerId: unknown, limit = 50): Promise<CheckInItem[]> {
  const customer = await getCustomerForActor(actor, customerId);
  const docs = await CheckIn.find({ customer: customer._id }).sort({ at: -1 }).limit(Math.min(Math.max(limit, 1), 200)).populate<{ user: { name?: string } | null }>('user', 'name').lean();
  return docs.map((d) => ({
    id: String(d._id),
    latitude: d.latitude,
    longitude: d.longitude,
    at: d.at,
    ...(d.user?.name ? { by: d.user.name } : {}),
    ...(d.during ? { during: d.during } : {}),
    mapsUrl: mapsUrl(d.latitude, d.longitude),
  }));
}
