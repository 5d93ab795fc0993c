import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { User } from '../../models/user.js';
import { canActOnCustomer, type Actor } from '../users/actor.js';
import { toObjectId } from '../shared/ids.js';
import { livingByPhone } from './phoneFilter.js';

/**
 * Who holds a customer, as a colleague may be told: the customer's code and name and the owner.
 * A salesperson who types a colleague's customer's phone learns whom to ask, not the record.
 */
export interface CustomerHolder {
  customerId: Types.ObjectId;
  code: string;
  name: string;
  phone?: string;
  owner: { _id: Types.ObjectId; name: string; active: boolean } | null;
  /** Whether the asking staff member may open the customer themselves. */
  mayOpen: boolean;
}

export async function findPhoneHolder(actor: Actor, phone: string): Promise<CustomerHolder | null> {
  const customer = await Customer.findOne(livingByPhone(phone)).select('code name phones owner').lean();
  return customer ? describeHolder(actor, customer) : null;
}

export async function getHolder(actor: Actor, customerId: unknown): Promise<CustomerHolder | null> {
  const customer = await Customer.findOne({ _id: toObjectId(customerId, 'notFound.customer'), deletedAt: null }).select('code name phones owner').lean();
  return customer ? describeHolder(actor, customer) : null;
}

async function describeHolder(
  actor: Actor,
  customer: { _id: Types.ObjectId; code: string; name: string; phones: string[]; owner?: Types.ObjectId | null },
): Promise<CustomerHolder> {
  const owner = customer.owner ? await User.findById(customer.owner).select('name active').lean() : null;
  return {
    customerId: customer._id,
    code: customer.code,
    name: customer.name,
    phone: customer.phones[0],
    owner: owner ? { _id: owner._id, name: owner.name, active: owner.active !== false } : null,
    mayOpen: canActOnCustomer(actor, customer),
  };
}
