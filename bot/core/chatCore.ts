import type { Logger } from '../../app/logger.js';
import { getSettings } from '../../crm/settings/settings.js';
import { findCustomerByChat, markUnreachable } from '../../crm/customers/customers.js';
import { isCrmError } from '../../crm/shared/errors.js';
import { userActor } from '../../crm/users/actor.js';
import { findStaffByChat, redeemLinkCode, setUserLanguage } from '../../crm/users/users.js';
import { errorMessage, isLang, t, type Lang } from '../../i18n/index.js';
import { parseAction, type Action } from './actions.js';
import { collectChoices, matchTypedChoice } from './choices.js';
import { handleProspect } from './intake.js';
import type { Notifier } from './notifier.js';
import { abandonSession, claimSession, releaseSession, setSessionLanguage } from './session.js';
import { handleStaff, helpReply } from './staff.js';
import { handleSharedMedia } from './attachmentFlow.js';
import { MAX_TEXT, type CoreDeps, type Turn } from './turn.js';
import type { ChatEvent, Reply } from './types.js';

export interface TypedCommand {
  /** Lower case, without the slash and without a Telegram `@botname` suffix. */
  name: string;
  arg: string;
}

/** `/find lan` → { name: 'find', arg: 'lan' }; anything not starting with a slash is not a command. */
export function parseCommand(text: string): TypedCommand | undefined {
  const m = /^\/([a-zA-Z_]{1,32})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { name: m[1].toLowerCase(), arg: (m[2] ?? '').trim() } : undefined;
}

/**
 * The one conversation engine behind every chat channel. An adapter hands it a normalized event;
 * it decides who is talking (a linked staff user gets the sales commands, anyone else the lead
 * intake), runs the step, and returns what to answer in that same chat. Messages for other people
 * (alerts to the owner, relayed replies to customers) go through the notifier.
 */
export class ChatCore {
  private readonly deps: CoreDeps;

  constructor(deps: CoreDeps) {
    this.deps = deps;
  }

  get notifier(): Notifier {
    return this.deps.notifier;
  }

  /** The step running per chat, so two messages of one chat are handled in the order they came. */
  private readonly running = new Map<string, Promise<unknown>>();

  /**
   * Handles one event once: a duplicate delivery of the same update returns no replies. Events of
   * one chat run one after the other (a webhook may deliver them in parallel), so a quick second
   * message never reads the session before the first has saved it. Within one process this queue
   * does it without asking the database; across processes (several web copies behind a load
   * balancer) the chat's reservation in its session document does (`claimSession`).
   */
  async handle(event: ChatEvent): Promise<Reply[]> {
    const key = `${event.channel}:${event.chatId}`;
    const previous = this.running.get(key) ?? Promise.resolve();
    const step = previous.catch(() => undefined).then(() => this.handleNow(event));
    this.running.set(key, step);
    try {
      return await step;
    } finally {
      if (this.running.get(key) === step) this.running.delete(key);
    }
  }

  private async handleNow(event: ChatEvent): Promise<Reply[]> {
    const now = this.deps.clock?.() ?? new Date();
    // Settings and staff come from this process's memory; the session read, the update claim and
    // the chat's reservation are one write. A database lost before it leaves no claim behind, so
    // the platform's redelivery is handled (the adapter answers it with a 5xx).
    // The three are asked together, so the caches' once-a-second version check never costs a wait of
    // its own; if the caches fail after the claim succeeded, the claim is given back unrecorded.
    const claiming = claimSession(event.channel, event.chatId, event.updateId);
    const [cached, claim] = await Promise.allSettled([Promise.all([getSettings(), findStaffByChat(event.channel, event.userId)]), claiming]);
    if (cached.status === 'rejected') {
      if (claim.status === 'fulfilled' && !claim.value.duplicate) await abandonSession(claim.value.session);
      throw cached.reason;
    }
    if (claim.status === 'rejected') throw claim.reason;
    const [settings, staff] = cached.value;
    const claimed = claim.value;
    // Claimed before handling, so a redelivery never runs a step twice. The price: a step that
    // fails midway is not retried by the platform; the person is told to try again instead.
    if (claimed.duplicate) {
      this.deps.logger.debug({ channel: event.channel, updateId: event.updateId }, 'duplicate update ignored');
      return [];
    }
    const { session } = claimed;
    const fallbackLang: Lang = isLang(settings.defaultLanguage) ? settings.defaultLanguage : 'vi';
    const lang: Lang = staff ? (isLang(staff.language) ? staff.language : fallbackLang) : (session.language ?? fallbackLang);
    const text = typeof event.text === 'string' ? event.text.trim() : '';
    const turn: Turn = { event, session, lang, now, timezone: settings.timezone, companyName: settings.companyName, deps: this.deps, text };

    let replies: Reply[];
    try {
      replies = await this.route(turn, staff);
    } catch (err) {
      if (!isCrmError(err)) this.deps.logger.error({ err, channel: event.channel }, 'chat step failed');
      replies = [{ text: errorMessage(turn.lang, err) }];
    }
    // Remember what was offered, so "2" typed on a channel without buttons means the second one;
    // written with the rest of the turn's session changes, and the chat freed for its next update.
    if (!(await releaseSession(session, collectChoices(replies)))) {
      this.deps.logger.warn({ channel: event.channel }, 'chat step outlived its reservation: its session changes were not saved');
    }
    return replies;
  }

  private async route(turn: Turn, staff: Awaited<ReturnType<typeof findStaffByChat>>): Promise<Reply[]> {
    const { event, text } = turn;
    if (event.presence) return this.presence(turn, staff);
    if (text.length > MAX_TEXT) return [{ text: t(turn.lang, 'chat.tooLong', { max: MAX_TEXT }) }];
    if (event.attachment || event.location) {
      const media = await handleSharedMedia(turn, staff);
      if (media) return media;
    }
    const command = text ? parseCommand(text) : undefined;

    // Linking works for anyone: it is how a stranger becomes staff.
    const linkCode = command?.name === 'link' ? command.arg : event.startParam?.startsWith('link_') ? event.startParam.slice(5) : undefined;
    if (linkCode !== undefined) {
      if (!linkCode) return [{ text: t(turn.lang, 'chat.link.usage') }];
      const linked = await redeemLinkCode(event.channel, event.userId, linkCode, turn.now);
      const lang: Lang = isLang(linked.language) ? linked.language : turn.lang;
      return [{ text: t(lang, 'chat.link.done', { name: linked.name }) }, helpReply(lang, event.channel)];
    }

    const action = this.actionOf(turn, command);
    if (command?.name === 'lang' || action?.kind === 'lang') return this.language(turn, staff, action);

    if (staff) return handleStaff({ ...turn, staff, actor: userActor(staff) }, action, command);
    return handleProspect(turn, action, command);
  }

  /** A pressed button, or a typed number or label of the choices last offered in this chat. */
  private actionOf(turn: Turn, command: TypedCommand | undefined): Action | undefined {
    if (turn.event.choice) return parseAction(turn.event.choice);
    if (command || !turn.text) return undefined;
    const typed = matchTypedChoice(turn.text, turn.session.lastChoices);
    return typed ? parseAction(typed.data) : undefined;
  }

  /** A customer who blocks the bot is marked unreachable there (and reachable again on return). */
  private async presence(turn: Turn, staff: Awaited<ReturnType<typeof findStaffByChat>>): Promise<Reply[]> {
    if (staff) return [];
    const customer = await findCustomerByChat(turn.event.channel, turn.event.chatId);
    if (customer) await markUnreachable(customer._id, turn.event.channel, turn.event.presence === 'blocked');
    return [];
  }

  private async language(turn: Turn, staff: Awaited<ReturnType<typeof findStaffByChat>>, action: Action | undefined): Promise<Reply[]> {
    const wanted = action?.kind === 'lang' ? action.lang : undefined;
    if (!isLang(wanted)) {
      return [
        {
          text: t(turn.lang, 'chat.lang.choose'),
          choices: [
            { label: 'Tiếng Việt', data: 'lang:vi' },
            { label: 'English', data: 'lang:en' },
          ],
        },
      ];
    }
    if (staff) await setUserLanguage(staff._id, wanted);
    else await setSessionLanguage(turn.session, wanted);
    return [{ text: t(wanted, 'chat.lang.set') }];
  }
}
