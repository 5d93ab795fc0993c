import { Api, Bot, BotError, Composer, HttpError, type Context, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { autoRetry } from '@grammyjs/auto-retry';
import type { Logger } from '../../app/logger.js';
import { maskSecrets } from '../../app/logger.js';
import type { ChatCore } from '../core/chatCore.js';
import { updateToEvent } from './inbound.js';
import { telegramFiles, type TelegramFiles } from './files.js';
import { TelegramSender } from './sender.js';

export interface TelegramBotOptions {
  token: string;
  core: ChatCore;
  logger: Logger;
  /** TELEGRAM_API_ROOT: a local Bot API server, or a fake one in tests. */
  apiRoot?: string;
  /** Known bot info skips the getMe call (tests). */
  botInfo?: UserFromGetMe;
  /** A fetch to use instead of the network (tests capture Bot API calls with it). */
  fetch?: typeof fetch;
  /** How long one outgoing message may take, retries included (default 30 s). */
  sendDeadlineMs?: number;
  /**
   * Told after every raw Bot API call: undefined when Telegram answered (even a refusal), the error
   * when it could not be reached or failed on its side (network, 5xx). The channel's health.
   */
  onPlatform?: (failure?: unknown) => void;
}

/** The update types chot reads; everything else is not even delivered. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/**
 * Everything between Telegram and the core, as one composer: update → event → core → replies →
 * Bot API. The flows themselves live in the core, so this is the whole Telegram-specific part.
 */
function chatBridge(core: ChatCore, sender: TelegramSender, logger: Logger, files: TelegramFiles): Composer<Context> {
  const bridge = new Composer<Context>();
  bridge.use(async (ctx) => {
    // Stop the button's spinner at once; the answer itself comes as a message.
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    const event = updateToEvent(ctx.update, files);
    if (!event) return;
    const replies = await core.handle(event);
    if (!replies.length) return;
    const result = await sender.send(event.chatId, replies);
    if (!result.ok) logger.warn({ reason: result.reason, detail: result.detail }, 'telegram reply not delivered');
  });
  return bridge;
}

export function createTelegramBot(opts: TelegramBotOptions): { bot: Bot; sender: TelegramSender } {
  const client = { apiRoot: opts.apiRoot, ...(opts.fetch ? { fetch: opts.fetch as never } : {}) };
  const bot = new Bot(opts.token, { botInfo: opts.botInfo, client });
  // Innermost, so it sees every attempt the retries below make.
  if (opts.onPlatform) bot.api.config.use(reportPlatform(opts.onPlatform));
  // Waits out short 429s, 5xx and network blips on single calls; long waits are reported, not slept.
  // Not for getUpdates: grammY's polling loop retries that itself every 3 s, and auto-retry's
  // back-off (up to an hour) would keep a recovered Telegram unread for that long.
  bot.api.config.use(
    exceptPolling(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10, rethrowHttpErrors: true })),
    exceptPolling(retryNetworkErrors()),
  );
  // For sends promised at most once (campaigns): a 5xx or a cut connection may have delivered the
  // message already, so only 429s (refused, nothing sent) are retried.
  const onceApi = new Api(opts.token, client);
  onceApi.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
  const sender = new TelegramSender(bot.api, opts.logger, { deadlineMs: opts.sendDeadlineMs, onceApi });
  bot.use(chatBridge(opts.core, sender, opts.logger, telegramFiles(bot.api, { token: opts.token, apiRoot: opts.apiRoot, fetch: opts.fetch })));
  bot.catch(async (err) => {
    const updateId = err.ctx.update.update_id;
    const describe = (e: unknown) => maskSecrets(e instanceof Error ? e.message : String(e));
    opts.logger.error({ updateId, error: describe(err.error) }, 'telegram update failed');
    // Long polling only (the webhook answers 503 and Telegram redelivers). grammY moves past an update
    // whose handling threw, so it would be lost: it is tried again here, in order, while the poll
    // waits. Safe: what throws failed before the core claimed the update (the database unreachable),
    // and a claimed update tried again is answered without being handled twice.
    for (const seconds of POLLING_RETRY_SECONDS) {
      if (!(await pause(seconds, bot))) return;
      try {
        await bot.handleUpdate(err.ctx.update);
        opts.logger.info({ updateId }, 'telegram update handled on a later try');
        return;
      } catch (again) {
        opts.logger.warn({ updateId, error: describe(again instanceof BotError ? again.error : again) }, 'telegram update failed again');
      }
    }
    opts.logger.error({ updateId }, 'telegram update given up after retries');
  });
  return { bot, sender };
}

/** The transformer for every method but getUpdates. */
function exceptPolling(transformer: Transformer): Transformer {
  return (prev, method, payload, signal) => (method === 'getUpdates' ? prev(method, payload, signal) : transformer(prev, method, payload, signal));
}

/**
 * auto-retry retries network errors without limit (its maxRetryAttempts does not count them),
 * backing off up to an hour. Here a network error gets `tries` more attempts, 1, 2 and 4 s apart,
 * then the call fails and the caller decides (a send reports it, the channel board retries start-up).
 */
function retryNetworkErrors(tries = 3, firstPauseMs = 1_000): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        if (!(err instanceof HttpError) || attempt >= tries || signal?.aborted) throw err;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, firstPauseMs * 2 ** attempt);
          signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
        });
        if (signal?.aborted) throw err;
      }
    }
  };
}

/** Reports each raw call's outcome: reached (any answer below 500) or not. */
function reportPlatform(onPlatform: (failure?: unknown) => void): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      onPlatform(!result.ok && result.error_code >= 500 ? new Error(`${method}: ${result.error_code} ${result.description}`) : undefined);
      return result;
    } catch (err) {
      if (!signal?.aborted) onPlatform(err);
      throw err;
    }
  };
}

/** Waits before each new try of a failed polled update: about a minute in all. */
const POLLING_RETRY_SECONDS = [1, 2, 4, 8, 15, 30];

/** Sleeps, in short steps so that stopping the bot is not held up; false when the bot stopped. */
async function pause(seconds: number, bot: Bot): Promise<boolean> {
  for (let waited = 0; waited < seconds * 1000; waited += 250) {
    if (!bot.isRunning()) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return bot.isRunning();
}
