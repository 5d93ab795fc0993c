import type { ActionContext, ActionRequest } from 'adminjs';
import { formatBirthday, parseBirthday, setBirthday, type Birthday } from '../crm/care/birthday.js';
import { withFieldOnEditForm } from './formField.js';
import { CrmError } from '../crm/shared/errors.js';
import { Customer } from '../models/customer.js';
import type { Actor } from '../crm/users/actor.js';

/**
 * The customer form's "Sinh nhật" field: typed as in chat (`12/5`, `12/05/1990`) and read by the
 * crm, which refuses a date that does not exist. The schema keeps `{ day, month, year? }`.
 */
export const BIRTHDAY_FIELD = 'birthdayText';

/** Refuses an unreadable birthday before anything of the form is saved, so a refusal never leaves half a save. */
export function assertBirthdayField(p: Record<string, unknown>): void {
  const value = typeof p[BIRTHDAY_FIELD] === 'string' ? (p[BIRTHDAY_FIELD] as string).trim() : '';
  if (value && !parseBirthday(value)) throw new CrmError('birthday.invalid', { input: value.slice(0, 30) });
}

/** Saves the field when the form sent it (empty clears it); absent, the birthday is left as it is. */
export async function saveBirthdayField(actor: Actor, customerId: string, p: Record<string, unknown>): Promise<void> {
  if (!(BIRTHDAY_FIELD in p)) return;
  const value = p[BIRTHDAY_FIELD];
  await setBirthday(actor, customerId, typeof value === 'string' ? value : null);
}

/** Fills the field when the edit form opens (a GET), so saving unchanged keeps the birthday. */
export function withBirthdayText<R extends { record?: { params?: Record<string, unknown> } }>(
  handler: (request: ActionRequest, response: unknown, context: ActionContext) => Promise<R>,
) {
  return withFieldOnEditForm(BIRTHDAY_FIELD, async (id) => formatBirthday((await Customer.findById(id).select('birthday').lean())?.birthday as Birthday | undefined), handler);
}
