import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from '../../app/logger.js';
import { t, type Lang, type MessageKey } from '../../i18n/index.js';
import type { ChatEvent, Reply } from '../core/types.js';
import type { WebConversations } from './conversations.js';
import { isVisitorId, resolveIdentity, visitorChatId, type WebIdentity } from './identity.js';
import { parseMessageBody, parsePollBody, WebInputError, MAX_TEXT_LENGTH, type MessageInput } from './input.js';

/** What the web chat needs from the chat core: one event in, the replies to the same chat out. */
export interface ChatHandler {
  handle(event: ChatEvent): Promise<Reply[]>;
}

export interface WebApiOptions {
  conversations: WebConversations;
  core: ChatHandler;
  logger: Logger;
  /** How long a poll waits for news before answering empty (the browser polls again at once). */
  pollTimeoutMs?: number;
  /** How often a waiting poll re-reads the database, for messages another process stored. */
  pollRecheckMs?: number;
  /** Messages one address may send per minute (the intake needs about ten). */
  messagesPerMinute?: number;
  /** Messages one visitor (one browser's id) may send per minute, whatever address they come from. */
  messagesPerVisitorMinute?: number;
  /** Polls one address may make per minute (an open page makes two or three). */
  pollsPerMinute?: number;
}

/** The page's language (`?lang=en` when it was opened), Vietnamese by default: the product's audience. */
export function requestLang(req: Request): Lang {
  const body = req.body as { lang?: unknown } | undefined;
  return body?.lang === 'en' || req.query.lang === 'en' ? 'en' : 'vi';
}

function refuse(res: Response, req: Request, status: number, error: string, key: MessageKey, params: Record<string, string | number> = {}) {
  res.status(status).json({ error, message: t(requestLang(req), key, params) });
}

/**
 * The JSON API the chat page talks to. Everything is a POST with a JSON body: the visitor id (the
 * credential) never appears in a URL or a log line, and a cross-site form cannot post here,
 * because a JSON content type from another origin needs a CORS preflight this server never grants.
 */
export function createWebApi(opts: WebApiOptions): Router {
  const { conversations, logger } = opts;
  const pollTimeoutMs = opts.pollTimeoutMs ?? 25_000;
  const pollRecheckMs = opts.pollRecheckMs ?? 2_000;
  const router = express.Router();
  // A double click is handled in order, not interleaved inside the core.
  const inOrder = perChatQueue();

  router.use(express.json({ limit: '16kb', strict: true, type: 'application/json' }));
  router.use('/messages', perMinute(opts.messagesPerMinute ?? 60));
  router.use('/messages', perMinute(opts.messagesPerVisitorMinute ?? 20, byVisitor));

  // Polls are cheap but hold a connection each: a generous cap per address (an office shares one).
  router.use('/poll', perMinute(opts.pollsPerMinute ?? 300));

  router.post('/messages', async (req, res) => {
    const input = parseMessageBody(req.body);
    if (input.trapped) {
      // A bot filled the field no person sees: answered like any message, but nothing is stored,
      // handled or alerted, so it learns nothing.
      logger.info({ ip: req.ip }, 'web chat message dropped: honeypot field filled');
      return res.json({ messages: [], staff: null });
    }
    const identity = await resolveIdentity(req, input);
    if (!identity) return refuse(res, req, 401, 'no_identity', 'web.error.noIdentity');
    const { chatId } = identity;
    await inOrder(chatId, async () => {
      const shown = input.kind === 'choice' ? ((await conversations.choiceLabel(chatId, input.choice)) ?? input.choice) : input.kind === 'start' ? '' : input.text;
      // The echo is for the page; `start` has none (the visitor only opened the chat).
      if (shown) await conversations.addVisitorMessage(chatId, input.clientMessageId, shown);
      const replies = await opts.core.handle(toEvent(identity, input, req.ip));
      await conversations.addReplies(chatId, replies);
    });
    res.json({ messages: await conversations.list(chatId, input.after), ...describe(identity) });
  });

  // A file bubble's download: the random token in the link is the access (128 bits, per file).
  router.get('/files/:token', async (req, res) => {
    const file = await conversations.file(String(req.params.token));
    if (!file) return refuse(res, req, 404, 'not_found', 'web.error.badRequest');
    res.setHeader('Content-Type', file.mime === 'application/pdf' ? 'application/pdf' : 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.bytes);
  });

  router.post('/poll', async (req, res) => {
    const input = parsePollBody(req.body);
    const identity = await resolveIdentity(req, input);
    if (!identity) return refuse(res, req, 401, 'no_identity', 'web.error.noIdentity');
    let open = true;
    res.on('close', () => {
      open = false;
    });
    // A closing server waits for open requests; a long poll answers early so shutdown is quick.
    const server = (req.socket as { server?: { listening?: boolean } }).server;
    const messages = input.wait
      ? await conversations.waitFor(identity.chatId, input.after, {
          timeoutMs: pollTimeoutMs,
          recheckMs: pollRecheckMs,
          stillWanted: () => open && server?.listening !== false,
        })
      : await conversations.list(identity.chatId, input.after);
    if (open) res.json({ messages, ...describe(identity) });
  });

  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof WebInputError) {
      return err.code === 'too_long'
        ? refuse(res, req, 413, 'too_long', 'web.error.tooLong', { max: MAX_TEXT_LENGTH })
        : err.code === 'empty'
          ? refuse(res, req, 400, 'empty', 'web.error.empty')
          : refuse(res, req, 400, 'bad_request', 'web.error.badRequest');
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status === 413) return refuse(res, req, 413, 'too_long', 'web.error.tooLong', { max: MAX_TEXT_LENGTH });
    // Malformed JSON and wrong content types come from express.json as 4xx errors.
    if (status && status >= 400 && status < 500) return refuse(res, req, 400, 'bad_request', 'web.error.badRequest');
    logger.error({ err }, 'web chat request failed');
    return refuse(res, req, 500, 'unexpected', 'web.error.unexpected');
  });

  return router;
}

/** Counts a request against its visitor id (requests without one are refused further on anyway). */
const byVisitor = {
  keyGenerator: (req: Request) => visitorChatId(String((req.body as { visitorId?: unknown } | undefined)?.visitorId)),
  skip: (req: Request) => !isVisitorId((req.body as { visitorId?: unknown } | undefined)?.visitorId),
};

/** At most `limit` requests a minute from one address (or one visitor, with `byVisitor`), then a refusal saying to wait. */
function perMinute(limit: number, key: Partial<typeof byVisitor> = {}) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    ...key,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => refuse(res, req, 429, 'rate_limited', 'web.error.rateLimited'),
  });
}

/** Runs the tasks of one chat one after another; different chats run side by side. */
function perChatQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return async (chatId: string, task: () => Promise<void>): Promise<void> => {
    const run = (tails.get(chatId) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    tails.set(chatId, tail);
    void tail.then(() => {
      if (tails.get(chatId) === tail) tails.delete(chatId);
    });
    return run;
  };
}

/** What the page may know about who it is talking as (a staff name, never ids). */
function describe(identity: WebIdentity) {
  return identity.kind === 'staff' ? { staff: { name: identity.user.name } } : { staff: null };
}

function toEvent(identity: WebIdentity, input: MessageInput, address: string | undefined): ChatEvent {
  const event: ChatEvent = {
    channel: 'web',
    userId: identity.chatId,
    chatId: identity.chatId,
    // Scoped by chat: one visitor reusing another's client ids cannot make theirs look like duplicates.
    updateId: `${identity.chatId}:${input.clientMessageId}`,
    languageHint: input.lang,
  };
  if (identity.kind === 'staff') event.displayName = identity.user.name;
  // The address new leads are counted against: the peer's, or the client's as a TRUST_PROXY proxy says.
  else if (address) event.origin = address;
  if (input.kind === 'text') event.text = input.text;
  else if (input.kind === 'choice') event.choice = input.choice;
  else {
    // Opening the chat is the web's "Start" button; an ad's ?src= travels like a Telegram deep link.
    const startParam = input.src ? `src_${input.src}` : undefined;
    event.text = startParam ? `/start ${startParam}` : '/start';
    if (startParam) event.startParam = startParam;
  }
  return event;
}
