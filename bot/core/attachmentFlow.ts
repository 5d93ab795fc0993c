import type { Types } from 'mongoose';
import { attachFileForStaff, assertFileSize, keepCustomerFile } from '../../crm/attachments/attachments.js';
import { mapsUrl, recordCheckIn } from '../../crm/attachments/checkIns.js';
import { formatBytes, MAX_FILE_BYTES } from '../../crm/attachments/limits.js';
import { findCustomerByChat, type CustomerRecord } from '../../crm/customers/customers.js';
import { isCrmError } from '../../crm/shared/errors.js';
import { userActor } from '../../crm/users/actor.js';
import type { StaffUser } from '../../crm/users/users.js';
import { errorMessage, t } from '../../i18n/index.js';
import { actionData, parseAction } from './actions.js';
import { formatWhen } from './card.js';
import { receiveCustomerMessage } from './relay.js';
import type { Session } from './session.js';
import type { StaffTurn, Turn } from './turn.js';
import type { Reply } from './types.js';

/**
 * Photos, files and locations sent in any chat, written once for every channel. A staff member's
 * file goes to the customer whose card is open in their chat, their location is a check-in there;
 * a customer's file is kept on their own record and shown in their conversation. Returns undefined
 * when the event is not for this flow (a stranger mid-intake: the intake reads its caption).
 */
export async function handleSharedMedia(turn: Turn, staff: StaffUser | null): Promise<Reply[] | undefined> {
  if (staff) return staffMedia({ ...turn, staff, actor: userActor(staff) });
  const customer = await findCustomerByChat(turn.event.channel, turn.event.chatId);
  return customer ? customerMedia(turn, customer) : undefined;
}

/**
 * The customer whose card is open in this chat: the one a flow in progress is about (logging a
 * meeting), else the one every customer button last shown belongs to (a card, this flow's own
 * confirmations). A list of several customers opens none: a file is never kept on a guess.
 */
export function openCustomerOf(session: Session): string | undefined {
  const fromFlow = session.data?.customerId;
  if (session.flow && typeof fromFlow === 'string') return fromFlow;
  const ids = new Set<string>();
  for (const choice of session.lastChoices) {
    const action = parseAction(choice.data);
    if (action && 'customerId' in action && action.customerId) ids.add(action.customerId);
  }
  return ids.size === 1 ? [...ids][0] : undefined;
}

/** Keeps the card "open" after a confirmation: the next photo of an album goes to the same customer. */
function cardChoice(turn: Turn, customerId: unknown) {
  return [{ label: t(turn.lang, 'attach.action.card'), data: actionData.open(customerId) }];
}

async function staffMedia(turn: StaffTurn): Promise<Reply[]> {
  const { event, lang } = turn;
  const customerId = openCustomerOf(turn.session);
  if (!customerId) return [{ text: t(lang, event.location ? 'attach.noCardLocation' : 'attach.noCard') }];
  // Mid-flow the flow's own choices are offered again, so "2" or "Quan tâm" typed next still
  // answers the flow; otherwise the card's button keeps the card open for the next file.
  const choices = turn.session.flow ? turn.session.lastChoices : cardChoice(turn, customerId);
  try {
    if (event.location) {
      const during = turn.session.flow === 'log' ? String(turn.session.data.type ?? '') || undefined : undefined;
      const { latitude, longitude } = event.location;
      const done = await recordCheckIn(turn.actor, customerId, { latitude, longitude, at: turn.now, channel: event.channel, during });
      const text = t(lang, 'attach.checkIn.done', { customer: done.customerName, when: formatWhen(turn.now, lang, turn.timezone, turn.now), latitude, longitude, url: mapsUrl(latitude, longitude) });
      return [{ text: turn.session.flow ? `${text}\n\n${t(lang, 'attach.checkIn.continue')}` : text, choices }];
    }
    const file = event.attachment!;
    assertFileSize(file.size);
    const bytes = await file.download(MAX_FILE_BYTES);
    const stored = await attachFileForStaff(turn.actor, customerId, { bytes, name: file.name, channel: event.channel });
    const key = stored.kind === 'photo' ? 'attach.saved.photo' : 'attach.saved.document';
    return [{ text: t(lang, key, { name: stored.name, size: formatBytes(stored.size), customer: stored.customerName }), choices }];
  } catch (err) {
    if (!isCrmError(err)) throw err;
    return [{ text: errorMessage(lang, err), choices }];
  }
}

/**
 * A known customer's file: stored with `from: customer` and shown in their conversation, and the
 * owner alerted as for a text. A refused file (too large, a type chot does not keep) is said to
 * the customer in their language; what they wrote in the caption is still logged.
 */
async function customerMedia(turn: Turn, customer: CustomerRecord): Promise<Reply[]> {
  const { event } = turn;
  const caption = turn.text || undefined;
  if (event.location) {
    const { latitude, longitude } = event.location;
    await receiveCustomerMessage(turn, customer, `📍 ${latitude}, ${longitude} ${mapsUrl(latitude, longitude)}${caption ? `\n${caption}` : ''}`);
    return [];
  }
  const file = event.attachment!;
  try {
    assertFileSize(file.size);
    const bytes = await file.download(MAX_FILE_BYTES);
    const kept = await keepCustomerFile(customer._id, { bytes, name: file.name, channel: event.channel }, caption);
    if (customer.owner) await turn.deps.notifier.messageAlerts.customerWrote(customer.owner as Types.ObjectId, customer, kept.line, event.channel);
    return [];
  } catch (err) {
    if (!isCrmError(err)) {
      // The platform would not hand the file over (a dead link, a timeout): the customer's message
      // still reaches the team, saying a file came, so they can ask for it again.
      turn.deps.logger.warn({ channel: event.channel, error: err instanceof Error ? err.message : String(err) }, 'customer file could not be fetched');
      await receiveCustomerMessage(turn, customer, `${file.kind === 'photo' ? '📷' : '📎'} ${file.name ?? ''} (${t('vi', 'attach.customer.notFetched')})${caption ? `\n${caption}` : ''}`);
      return [];
    }
    turn.deps.logger.info({ channel: event.channel, code: err.code, declaredType: file.declaredType }, 'customer file refused');
    if (caption) await receiveCustomerMessage(turn, customer, caption);
    return [{ text: t(turn.lang, 'attach.customer.refused', { reason: errorMessage(turn.lang, err) }) }];
  }
}
