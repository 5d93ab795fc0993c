import { foldVietnamese } from '../../crm/customers/searchText.js';
import { t, type Lang } from '../../i18n/index.js';
import type { Choice, Reply } from './types.js';
import { actionData } from './actions.js';

/**
 * Choices on channels without buttons: they are shown as a numbered list, and the person answers
 * with the number or the label's words. Numbering runs across all replies of one batch, so the
 * numbers a person sees are the numbers the core accepts (it keeps the batch's choices in the chat
 * session; see `collectChoices`).
 */

/** Every choice offered in a batch of replies, in the order they are numbered. */
export function collectChoices(replies: Reply[]): Choice[] {
  return replies.flatMap((r) => r.choices ?? []);
}

/**
 * One reply as plain text: its text, then its choices numbered from `startAt` (1 by default).
 * `lang` words the hint line under the list.
 */
export function renderChoicesAsText(reply: Reply, lang: Lang, startAt = 1): string {
  const choices = reply.choices ?? [];
  if (!choices.length) return reply.text;
  const lines = choices.map((c, i) => `${startAt + i}. ${c.label}`);
  return `${reply.text}\n\n${lines.join('\n')}\n${t(lang, 'chat.choices.hint')}`;
}

/** A whole batch as plain texts, one per reply, with one numbering across the batch. */
export function renderRepliesAsText(replies: Reply[], lang: Lang): string[] {
  let next = 1;
  return replies.map((reply) => {
    const text = renderChoicesAsText(reply, lang, next);
    next += reply.choices?.length ?? 0;
    return text;
  });
}

/** Labels compared without case, diacritics, emoji or punctuation: "✅ Xong" matches "xong". */
function comparable(text: string): string {
  return foldVietnamese(text)
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The choice a typed answer means, if any: its number in the list, or its whole label. Anything
 * else is not a choice (it is text for the flow), so a name or a message is never taken for one.
 */
export function matchTypedChoice(text: string | undefined, choices: readonly Choice[]): Choice | undefined {
  if (!text || !choices.length) return undefined;
  const typed = text.trim();
  if (/^\d{1,3}$/.test(typed)) {
    const index = Number(typed) - 1;
    return choices[index];
  }
  const wanted = comparable(typed);
  if (!wanted) return undefined;
  return choices.find((c) => comparable(c.label) === wanted);
}

/** "Huỷ": offered at every step of a flow, it ends the flow in progress. */
export function cancelChoice(lang: Lang): Choice {
  return { label: t(lang, 'chat.cancel'), data: actionData.cancel };
}
