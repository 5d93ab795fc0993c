import type { ActionContext, ActionRequest } from 'adminjs';
import { describeReferrer, findReferrer, type ReferrerRef } from '../crm/customers/referrer.js';
import { Customer } from '../models/customer.js';
import { User } from '../models/user.js';
import { optional } from './respond.js';
import { withFieldOnEditForm } from './formField.js';

/**
 * The customer form's "Người giới thiệu" field: typed the way the chat asks for it (a customer's
 * phone or KH code, a staff member's name or email) and resolved by the crm, which also refuses a
 * customer referring themselves. The schema keeps `{ kind, id }`; the form shows and takes text.
 */
export const REFERRER_FIELD = 'referrerText';

/** The referrer part of the service input: absent when the form did not send the field, null when emptied. */
export async function referrerInput(p: Record<string, unknown>): Promise<{ referrer?: ReferrerRef | null }> {
  if (!(REFERRER_FIELD in p)) return {};
  const text = optional(p[REFERRER_FIELD]);
  return { referrer: text ? await findReferrer(text) : null };
}

/** What the field shows for a stored referrer: text that resolves back to the same person. */
async function referrerAsTyped(ref: ReferrerRef | null | undefined): Promise<string> {
  const view = await describeReferrer(ref);
  if (!view) return '';
  if (view.kind === 'customer') return view.name;
  return (await User.findById(view.id).select('email').lean())?.email ?? view.name;
}

/** Fills the field when the edit form opens (a GET), so saving unchanged keeps the referrer. */
export function withReferrerText<R extends { record?: { params?: Record<string, unknown> } }>(
  handler: (request: ActionRequest, response: unknown, context: ActionContext) => Promise<R>,
) {
  return withFieldOnEditForm(REFERRER_FIELD, async (id) => referrerAsTyped((await Customer.findById(id).select('referrer').lean())?.referrer as ReferrerRef | undefined), handler);
}
