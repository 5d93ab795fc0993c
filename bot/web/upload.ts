import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { MAX_FILE_BYTES, formatBytes } from '../../crm/attachments/limits.js';
import { CrmError } from '../../crm/shared/errors.js';
import { errorMessage, t } from '../../i18n/index.js';
import type { ChatEvent } from '../core/types.js';
import { requestLang, type WebApiOptions } from './api.js';
import { resolveIdentity } from './identity.js';

/** Base64 grows a file by a third; the rest of the body (ids, name) is small. */
const BODY_LIMIT_BYTES = Math.ceil((MAX_FILE_BYTES * 4) / 3) + 4096;
const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const FIELDS = ['visitorId', 'clientMessageId', 'after', 'name', 'data', 'lang', 'embed'];

interface UploadInput {
  visitorId?: string;
  clientMessageId: string;
  after: number;
  name: string;
  bytes: Buffer;
  embedded: boolean;
}

class UploadRefused extends Error {}

/** The upload body, checked field by field like the message API's: anything unexpected is refused. */
function parseUpload(raw: unknown): UploadInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UploadRefused('body must be a JSON object');
  const body = raw as Record<string, unknown>;
  if (Object.keys(body).some((k) => !FIELDS.includes(k))) throw new UploadRefused('unknown field');
  const { visitorId, clientMessageId, name, data } = body;
  const after = body.after ?? 0;
  if (visitorId !== undefined && typeof visitorId !== 'string') throw new UploadRefused('visitorId');
  if (typeof clientMessageId !== 'string' || !CLIENT_MESSAGE_ID.test(clientMessageId)) throw new UploadRefused('clientMessageId');
  if (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0) throw new UploadRefused('after');
  if (name !== undefined && typeof name !== 'string') throw new UploadRefused('name');
  if (typeof data !== 'string' || !BASE64.test(data)) throw new UploadRefused('data');
  if (body.embed !== undefined && typeof body.embed !== 'boolean') throw new UploadRefused('embed');
  return { visitorId, clientMessageId, after, name: (name ?? '').slice(0, 255), bytes: Buffer.from(data, 'base64'), embedded: body.embed === true };
}

/**
 * POST /chat/api/files: a file from the web chat, for visitors and staff alike. JSON with the bytes
 * in base64, like every other call of the page: a cross-site form cannot send it (the JSON content
 * type needs a CORS preflight chot never grants), and the visitor id stays out of URLs. The core
 * decides what the file is for (the open card for staff, the customer's own record otherwise).
 */
export function createWebUpload(opts: WebApiOptions): Router {
  const router = express.Router();
  router.use(
    rateLimit({
      windowMs: 60_000,
      limit: 10,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req, res) => res.status(429).json({ error: 'rate_limited', message: t(requestLang(req), 'web.error.rateLimited') }),
    }),
  );
  router.use(express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: 'application/json' }));
  router.post('/', async (req, res) => {
    const input = parseUpload(req.body);
    const identity = await resolveIdentity(req, input);
    if (!identity) return res.status(401).json({ error: 'no_identity', message: t(requestLang(req), 'web.error.noIdentity') });
    const { chatId } = identity;
    const shown = `📎 ${input.name || t(requestLang(req), 'attach.web.unnamed')}`;
    // A retried POST (same client id) is shown and handled once.
    if (await opts.conversations.addVisitorMessage(chatId, input.clientMessageId, shown)) {
      const event: ChatEvent = {
        channel: 'web',
        userId: chatId,
        chatId,
        updateId: `${chatId}:${input.clientMessageId}`,
        languageHint: requestLang(req),
        ...(identity.kind === 'staff' ? { displayName: identity.user.name } : req.ip ? { origin: req.ip } : {}),
        text: '',
        attachment: {
          kind: 'document',
          fileId: input.clientMessageId,
          name: input.name || undefined,
          size: input.bytes.length,
          download: async () => input.bytes,
        },
      };
      await opts.conversations.addReplies(chatId, await opts.core.handle(event));
    }
    res.json({ messages: await opts.conversations.list(chatId, input.after) });
  });
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const lang = requestLang(req);
    const status = (err as { status?: number }).status;
    if (status === 413) {
      const tooLarge = new CrmError('attachment.tooLarge', { max: formatBytes(MAX_FILE_BYTES), size: `> ${formatBytes(MAX_FILE_BYTES)}` });
      return res.status(413).json({ error: 'too_large', message: errorMessage(lang, tooLarge) });
    }
    if (err instanceof UploadRefused || (status && status >= 400 && status < 500)) return res.status(400).json({ error: 'bad_request', message: t(lang, 'web.error.badRequest') });
    opts.logger.error({ err }, 'web chat upload failed');
    return res.status(500).json({ error: 'unexpected', message: t(lang, 'web.error.unexpected') });
  });
  return router;
}
