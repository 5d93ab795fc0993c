import type { MessageKey } from './vi.js';

/** English texts: every key of vi.ts, so a missing translation is a type error. */
export const en: Record<MessageKey, string> = {
  'error.forbidden': 'You are not allowed to do that with this customer.',
  'error.notFound.customer': 'Customer not found. Try /find with a name, phone number or KH code.',
  'error.notFound.stage': 'Stage not found. Pick one from the list again.',
  'error.notFound.followUp': 'Follow-up not found.',
  'error.notFound.user': 'Staff user not found.',
  'error.phone.invalid': 'The phone number "{input}" is not valid. Type it again, e.g. 0912 345 678 or +84 912 345 678.',
  'error.phone.taken': 'This phone number already belongs to customer {code}. Open that customer instead.',
  'error.customer.nameRequired': 'The customer needs a name.',
  'error.stage.dormantByHand': 'The "Don\'t forget" stage is set automatically; it cannot be chosen by hand.',
  'error.stage.inactive': 'This stage is no longer in use. Pick another one.',
  'error.deal.amountInvalid': 'That amount is not valid. Examples: 50000000, 50tr, 1.5 ty.',
  'error.followUp.notActive': 'This follow-up is already done or cancelled.',
  'error.followUp.dueInvalid': 'That time is not valid or already past. Examples: tomorrow 9am, in 2 hours, 25/12 10:00.',
  'error.linkCode.invalid': 'The link code is wrong or expired. Ask an admin for a new one.',
  'error.chat.alreadyLinked': 'This chat account is already linked.',
  'error.invalid': 'Invalid data ({field}). Check it and try again.',
  'error.unexpected': 'Something went wrong. Please try again in a few minutes.',
};
