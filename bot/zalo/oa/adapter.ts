import type { Logger } from '../../../app/logger.js';
import type { Notifier } from '../../core/notifier.js';
import type { ChatEvent, ChannelSender, Reply } from '../../core/types.js';
import { markUnreachable } from '../../../crm/customers/customers.js';
import { captureLead } from '../../../crm/customers/captureLead.js';
import { getSettings } from '../../../crm/settings/settings.js';
import { isCrmError } from '../../../crm/shared/errors.js';
import { isLang, t, type Lang } from '../../../i18n/index.js';
import { notifyOwnerOfLead } from '../../core/relay.js';
import { clearFlow, loadSession } from '../../core/session.js';
import type { InboxEvent } from '../shared/inbox.js';
import { plainId } from '../shared/ids.js';
import { describeMedia, isMediaEvent, oaUserId, type OaWebhookEvent } from './events.js';

/** What the adapter needs from the chat core: one event in, the replies out. */
export interface ChatHandler {
  handle(event: ChatEvent): Promise<Reply[]>;
}

/** The text a `follow` hands the core: the same as a first "start" on the other channels. */
export const START_TEXT = '/start';

export interface OaAdapterDeps {
  core: ChatHandler;
  sender: ChannelSender;
  notifier: Notifier;
  logger: Logger;
}

/**
 * The inbound side of the Zalo OA adapter: a stored webhook event becomes a ChatEvent for the core
 * (`follow`/`unfollow` as presence events), and the core's replies go out through the sender.
 * No flow is decided here.
 */
export class OaAdapter {
  constructor(private readonly deps: OaAdapterDeps) {}

  async handle(inbox: InboxEvent): Promise<void> {
    const event = inbox.payload as OaWebhookEvent;
    const userId = oaUserId(event);
    if (!userId) {
      this.deps.logger.warn({ key: inbox.key, event: inbox.eventName }, 'Zalo OA event without a user: ignored');
      return;
    }
    const base: ChatEvent = { channel: 'zalo_oa', userId, chatId: userId, updateId: inbox.key };
    const name = event.event_name;
    if (name === 'user_send_text') {
      await this.toCore({ ...base, text: plainId(event.message?.text) ?? '' });
    } else if (isMediaEvent(name)) {
      this.deps.logger.info({ userId, event: name }, 'Zalo OA non-text message: passed on as a description');
      await this.toCore({ ...base, text: describeMedia(event) });
    } else if (name === 'follow') {
      // Two core events from one Zalo event: back in reach (for a known customer), then a start.
      await this.toCore({ ...base, updateId: `${inbox.key}#presence`, presence: 'unblocked' });
      await this.toCore({ ...base, text: START_TEXT });
    } else if (name === 'unfollow') {
      await this.toCore({ ...base, presence: 'blocked' });
    } else if (name === 'user_submit_info') {
      await this.submitInfo(base, event);
    }
  }

  /**
   * Zalo's own form gives name and phone that Zalo vouches for, so the lead goes straight into
   * `captureLead` (the core has no entry for a finished form; its intake would ask the name again),
   * then the owner is alerted with the core's own lead alert and the follower thanked in the core's
   * words. A half-finished chat intake is closed: the form answered it.
   */
  private async submitInfo(base: ChatEvent, event: OaWebhookEvent): Promise<void> {
    const name = plainId(event.info?.name)?.trim() || undefined;
    const phone = plainId(event.info?.phone)?.trim();
    if (!phone) {
      this.deps.logger.warn({ userId: base.userId }, 'Zalo OA form without a phone: ignored');
      return;
    }
    const settings = await getSettings();
    const session = await loadSession('zalo_oa', base.chatId);
    const lang: Lang = session.language ?? (isLang(settings.defaultLanguage) ? settings.defaultLanguage : 'vi');
    let captured;
    try {
      captured = await captureLead({ channel: 'zalo_oa', chatId: base.chatId, name, phone, language: lang });
    } catch (err) {
      if (isCrmError(err, 'phone.invalid')) {
        this.deps.logger.warn({ userId: base.userId }, 'Zalo OA form with an invalid phone: ignored');
        return;
      }
      throw err;
    }
    if (session.flow === 'intake') await clearFlow(session);
    await markUnreachable(captured.customer._id, 'zalo_oa', false);
    if (captured.owner) {
      await notifyOwnerOfLead({ notifier: this.deps.notifier, logger: this.deps.logger }, captured.owner, captured.customer._id, 'zalo_oa', captured.isNew, settings.timezone);
    }
    const thanks = name ? t(lang, 'chat.intake.done', { name, company: settings.companyName }) : t(lang, 'chat.intake.doneNoName', { company: settings.companyName });
    const result = await this.deps.sender.send(base.chatId, [{ text: thanks }]);
    if (!result.ok) this.deps.logger.warn({ userId: base.userId, reason: result.reason, detail: result.detail }, 'Zalo OA reply not delivered');
  }

  private async toCore(event: ChatEvent): Promise<void> {
    const replies = await this.deps.core.handle(event);
    if (!replies.length) return;
    const result = await this.deps.sender.send(event.chatId, replies);
    if (!result.ok) this.deps.logger.warn({ userId: event.userId, reason: result.reason, detail: result.detail }, 'Zalo OA reply not delivered');
  }
}
