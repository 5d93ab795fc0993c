import { t } from '../../i18n/index.js';
import type { PostedComment } from '../../crm/comments/comments.js';
import { actionData } from './actions.js';
import type { Notifier } from './notifier.js';

/** Longest part of the comment quoted in a notification; the card has the rest. */
const QUOTED = 300;

/**
 * Tells each colleague named in a comment, on every channel they linked: who wrote what about
 * which customer, with a button that opens the card (which they may now read as a follower).
 * Shared by the chat and the panel, so both notify the same way.
 */
export async function notifyMentioned(notifier: Notifier, posted: PostedComment, authorName: string): Promise<string[]> {
  const { customer, comment } = posted;
  const quoted = comment.text.length > QUOTED ? `${comment.text.slice(0, QUOTED - 1)}…` : comment.text;
  const told: string[] = [];
  for (const user of posted.mentioned) {
    const outcomes = await notifier.notifyStaff(user, (lang) => [
      {
        text: t(lang, 'comment.mentioned', { author: authorName, code: customer.code, name: customer.name, text: quoted }),
        choices: [{ label: t(lang, 'comment.openCard'), data: actionData.open(customer._id) }],
      },
    ]);
    if (outcomes.some((o) => o.result.ok)) told.push(user.name);
  }
  return told;
}
