/**
 * The data behind every choice the core offers. Each carries the ids it acts on, so a button
 * pressed on an old message still does the right thing, and authorization is checked again on use.
 * Kept short: Telegram caps callback data at 64 bytes (the longest here, two ids, is 52).
 */
export type Action =
  | { kind: 'open'; customerId: string }
  | { kind: 'log'; type: string; customerId: string }
  | { kind: 'outcome'; key: string }
  | { kind: 'stageMenu'; customerId: string }
  | { kind: 'setStage'; customerId: string; stageId: string }
  | { kind: 'followUp'; customerId: string }
  | { kind: 'reassignMenu'; customerId: string }
  | { kind: 'reassignTo'; customerId: string; userId: string }
  | { kind: 'reply'; customerId: string }
  | { kind: 'mineStage'; stageId: string }
  /** A follow-up reminder's buttons (sent by the jobs): done, snooze an hour, pick a new time. */
  | { kind: 'followUpDone' | 'followUpSnooze' | 'followUpReschedule'; followUpId: string }
  /** The answer to "Lặp lại?" when a follow-up is scheduled. */
  | { kind: 'repeat'; recurrence: string }
  /** `/new` met a colleague's customer: tell its owner, or ask a manager. */
  | { kind: 'notifyOwner' | 'askManager'; customerId: string }
  /** Opportunities: start one for a customer or an organization, open its card, move, win, lose. */
  | { kind: 'oppNew'; customerId: string }
  | { kind: 'oppNewForOrganization'; organizationId: string }
  | { kind: 'oppOpen' | 'oppMoveMenu' | 'oppWin' | 'oppLose'; opportunityId: string }
  | { kind: 'oppMove'; opportunityId: string; stageId: string }
  /** After a win: move the customer's relationship to the won stage, without a second deal. */
  | { kind: 'customerWon'; customerId: string; stageId: string }
  /** B2B: an organization card and its actions; a contact picked to log with; answers of the contact flows. */
  | { kind: 'openOrg' | 'addContact' | 'logForOrg'; organizationId: string }
  | { kind: 'logPickType'; customerId: string }
  | { kind: 'sameCompany'; same: boolean }
  | { kind: 'contactRole'; role: string }
  /** Scheduled messages and birthdays: schedule a text, cancel one, set the birthday. */
  | { kind: 'schedMsg' | 'birthday'; customerId: string }
  | { kind: 'schedCancel'; messageId: string }
  /** Comments: the talk on a card, the filtered history, followers, editing one's own comment, picking an @name. */
  | { kind: 'comments' | 'followers'; customerId: string }
  | { kind: 'history'; customerId: string; filter: string }
  | { kind: 'commentEdit' | 'commentDelete'; commentId: string }
  | { kind: 'mentionPick'; userId: string }
  | { kind: 'removeFollower'; customerId: string; userId: string }
  /** "💬 Trao đổi" on an organization (`o`) or an opportunity (`p`) card. */
  | { kind: 'targetComments'; target: 'organization' | 'opportunity'; id: string }
  /** Quotes: start one for a customer or an opportunity, pick a product, page, finish, send, and the customer's answer. */
  | { kind: 'quoteNew'; customerId: string }
  | { kind: 'quoteNewForOpportunity'; opportunityId: string }
  | { kind: 'quoteProduct'; productId: string }
  | { kind: 'quotePage'; page: number }
  | { kind: 'quoteAll' | 'quoteDone' }
  | { kind: 'quoteSend'; to: 'customer' | 'me' }
  | { kind: 'quoteAccept' | 'quoteReject' | 'quoteWin'; quoteId: string }
  | { kind: 'skip' }
  | { kind: 'cancel' }
  | { kind: 'lang'; lang: string }
  /** Email/SMS from the card: send what the preview showed, or only log one sent elsewhere. */
  | { kind: 'outreachSend' }
  | { kind: 'logOnly'; type: string; customerId: string };

export const actionData = {
  open: (customerId: unknown) => `c:${customerId}`,
  log: (type: string, customerId: unknown) => `l:${type}:${customerId}`,
  outcome: (key: string) => `o:${key}`,
  stageMenu: (customerId: unknown) => `s:${customerId}`,
  setStage: (customerId: unknown, stageId: unknown) => `ss:${customerId}:${stageId}`,
  followUp: (customerId: unknown) => `f:${customerId}`,
  reassignMenu: (customerId: unknown) => `r:${customerId}`,
  reassignTo: (customerId: unknown, userId: unknown) => `ro:${customerId}:${userId}`,
  reply: (customerId: unknown) => `m:${customerId}`,
  mineStage: (stageId: unknown) => `ms:${stageId}`,
  followUpDone: (followUpId: unknown) => `fu:done:${followUpId}`,
  followUpSnooze: (followUpId: unknown) => `fu:snooze:${followUpId}`,
  followUpReschedule: (followUpId: unknown) => `fu:resched:${followUpId}`,
  repeat: (recurrence: string) => `rp:${recurrence}`,
  notifyOwner: (customerId: unknown) => `no:${customerId}`,
  askManager: (customerId: unknown) => `am:${customerId}`,
  oppNew: (customerId: unknown) => `on:${customerId}`,
  oppNewForOrganization: (organizationId: unknown) => `ono:${organizationId}`,
  oppOpen: (opportunityId: unknown) => `op:${opportunityId}`,
  oppMoveMenu: (opportunityId: unknown) => `om:${opportunityId}`,
  oppMove: (opportunityId: unknown, stageId: unknown) => `oms:${opportunityId}:${stageId}`,
  oppWin: (opportunityId: unknown) => `ow:${opportunityId}`,
  oppLose: (opportunityId: unknown) => `ox:${opportunityId}`,
  customerWon: (customerId: unknown, stageId: unknown) => `cw:${customerId}:${stageId}`,
  openOrg: (organizationId: unknown) => `og:${organizationId}`,
  addContact: (organizationId: unknown) => `oa:${organizationId}`,
  logForOrg: (organizationId: unknown) => `ol:${organizationId}`,
  logPickType: (customerId: unknown) => `lc:${customerId}`,
  sameCompany: (same: boolean) => `oc:${same ? 'same' : 'other'}`,
  contactRole: (role: string) => `cr:${role}`,
  schedMsg: (customerId: unknown) => `sm:${customerId}`,
  schedCancel: (messageId: unknown) => `smx:${messageId}`,
  birthday: (customerId: unknown) => `bd:${customerId}`,
  comments: (customerId: unknown) => `kc:${customerId}`,
  history: (customerId: unknown, filter: string) => `kh:${customerId}:${filter}`,
  followers: (customerId: unknown) => `kf:${customerId}`,
  commentEdit: (commentId: unknown) => `ke:${commentId}`,
  commentDelete: (commentId: unknown) => `kd:${commentId}`,
  // `none`: mention nobody for that @name.
  mentionPick: (userId: unknown) => `kp:${userId}`,
  removeFollower: (customerId: unknown, userId: unknown) => `kx:${customerId}:${userId}`,
  targetComments: (target: 'organization' | 'opportunity', id: unknown) => `kt:${target === 'organization' ? 'o' : 'p'}:${id}`,
  quoteNew: (customerId: unknown) => `qn:${customerId}`,
  quoteNewForOpportunity: (opportunityId: unknown) => `qo:${opportunityId}`,
  quoteProduct: (productId: unknown) => `qp:${productId}`,
  quotePage: (page: number) => `qg:${page}`,
  quoteAll: 'qall',
  quoteDone: 'qd',
  quoteSend: (to: 'customer' | 'me') => `qs:${to}`,
  quoteAccept: (quoteId: unknown) => `qa:${quoteId}`,
  quoteReject: (quoteId: unknown) => `qr:${quoteId}`,
  quoteWin: (quoteId: unknown) => `qw:${quoteId}`,
  skip: 'skip',
  cancel: 'cancel',
  lang: (lang: string) => `lang:${lang}`,
  outreachSend: 'xs',
  logOnly: (type: string, customerId: unknown) => `lo:${type}:${customerId}`,
};

/** Reads choice data back; anything malformed is undefined (never trusted, never thrown on). */
export function parseAction(data: string | undefined): Action | undefined {
  if (typeof data !== 'string' || data.length > 64) return undefined;
  const [head, a = '', b = ''] = data.split(':');
  switch (head) {
    case 'c':
      return { kind: 'open', customerId: a };
    case 'l':
      return { kind: 'log', type: a, customerId: b };
    case 'o':
      return { kind: 'outcome', key: a };
    case 's':
      return { kind: 'stageMenu', customerId: a };
    case 'ss':
      return { kind: 'setStage', customerId: a, stageId: b };
    case 'f':
      return { kind: 'followUp', customerId: a };
    case 'r':
      return { kind: 'reassignMenu', customerId: a };
    case 'ro':
      return { kind: 'reassignTo', customerId: a, userId: b };
    case 'm':
      return { kind: 'reply', customerId: a };
    case 'ms':
      return { kind: 'mineStage', stageId: a };
    case 'fu':
      if (a === 'done') return { kind: 'followUpDone', followUpId: b };
      if (a === 'snooze') return { kind: 'followUpSnooze', followUpId: b };
      if (a === 'resched') return { kind: 'followUpReschedule', followUpId: b };
      return undefined;
    case 'rp':
      return { kind: 'repeat', recurrence: a };
    case 'no':
      return { kind: 'notifyOwner', customerId: a };
    case 'am':
      return { kind: 'askManager', customerId: a };
    case 'on':
      return { kind: 'oppNew', customerId: a };
    case 'ono':
      return { kind: 'oppNewForOrganization', organizationId: a };
    case 'op':
      return { kind: 'oppOpen', opportunityId: a };
    case 'om':
      return { kind: 'oppMoveMenu', opportunityId: a };
    case 'oms':
      return { kind: 'oppMove', opportunityId: a, stageId: b };
    case 'ow':
      return { kind: 'oppWin', opportunityId: a };
    case 'ox':
      return { kind: 'oppLose', opportunityId: a };
    case 'cw':
      return { kind: 'customerWon', customerId: a, stageId: b };
    case 'og':
      return { kind: 'openOrg', organizationId: a };
    case 'oa':
      return { kind: 'addContact', organizationId: a };
    case 'ol':
      return { kind: 'logForOrg', organizationId: a };
    case 'lc':
      return { kind: 'logPickType', customerId: a };
    case 'oc':
      return a === 'same' || a === 'other' ? { kind: 'sameCompany', same: a === 'same' } : undefined;
    case 'cr':
      return { kind: 'contactRole', role: a };
    case 'sm':
      return { kind: 'schedMsg', customerId: a };
    case 'smx':
      return { kind: 'schedCancel', messageId: a };
    case 'bd':
      return { kind: 'birthday', customerId: a };
    case 'kc':
      return { kind: 'comments', customerId: a };
    case 'kh':
      return { kind: 'history', customerId: a, filter: b };
    case 'kf':
      return { kind: 'followers', customerId: a };
    case 'ke':
      return { kind: 'commentEdit', commentId: a };
    case 'kd':
      return { kind: 'commentDelete', commentId: a };
    case 'kp':
      return { kind: 'mentionPick', userId: a };
    case 'kx':
      return { kind: 'removeFollower', customerId: a, userId: b };
    case 'kt':
      return a === 'o' || a === 'p' ? { kind: 'targetComments', target: a === 'o' ? 'organization' : 'opportunity', id: b } : undefined;
    case 'qn':
      return { kind: 'quoteNew', customerId: a };
    case 'qo':
      return { kind: 'quoteNewForOpportunity', opportunityId: a };
    case 'qp':
      return { kind: 'quoteProduct', productId: a };
    case 'qg':
      return /^\d{1,4}$/.test(a) ? { kind: 'quotePage', page: Number(a) } : undefined;
    case 'qall':
      return { kind: 'quoteAll' };
    case 'qd':
      return { kind: 'quoteDone' };
    case 'qs':
      return a === 'customer' || a === 'me' ? { kind: 'quoteSend', to: a } : undefined;
    case 'qa':
      return { kind: 'quoteAccept', quoteId: a };
    case 'qr':
      return { kind: 'quoteReject', quoteId: a };
    case 'qw':
      return { kind: 'quoteWin', quoteId: a };
    case 'skip':
      return { kind: 'skip' };
    case 'cancel':
      return { kind: 'cancel' };
    case 'lang':
      return { kind: 'lang', lang: a };
    case 'xs':
      return { kind: 'outreachSend' };
    case 'lo':
      return { kind: 'logOnly', type: a, customerId: b };
    default:
      return undefined;
  }
}
