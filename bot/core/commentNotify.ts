import { t } from '../../i18n/index.js';
import type { CommentSubject } from '../../crm/comments/targets.js';
import type { StaffUser } from '../../crm/users/users.js';
import { actionData } from './actions.js';
import type { Notifier } from './notifier.js';

/** Longest part of the comment quoted in a notification; the card has the rest. */
const QUOTED = 300;

/**
 * Tells each colleague named in a comment, on every channel they linked: who wrote what about
 * which customer, organization or opportunity, with a button that opens its card (a customer's
 * they may now read as a follower). Shared by the chat and the panel, so both notify the same way.
 */
export async function notifyMentionedOn(
  notifier: Notifier,
  posted: { subject: CommentSubject; comment: { text: string }; mentioned: StaffUser[] },
  authorName: string,
): Promise<string[]> {
  const { subject, comment } = posted;
  const quoted = comment.text.length > QUOTED ? `${comment.text.slice(0, QUOTED - 1)}…` : comment.text;
  const told: string[] = [];
  for (const user of posted.mentioned) {
    const outcomes = await notifier.notifyStaff(user, (lang) => {
      const vars = { author: authorName, code: subject.code, name: subject.name, text: quoted };
      if (subject.kind === 'organization')
        return [{ text: t(lang, 'comment.mentionedOn.organization', vars), choices: [{ label: t(lang, 'comment.open.organization'), data: actionData.openOrg(subject._id) }] }];
      if (subject.kind === 'opportunity')
        return [{ text: t(lang, 'comment.mentionedOn.opportunity', vars), choices: [{ label: t(lang, 'comment.open.opportunity'), data: actionData.oppOpen(subject._id) }] }];
      return [{ text: t(lang, 'comment.mentioned', vars), choices: [{ label: t(lang, 'comment.openCard'), data: actionData.open(subject._id) }] }];
    });
    if (outcomes.some((o) => o.result.ok)) told.push(user.name);
  }
  return told;
}
