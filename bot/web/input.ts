/**
 * Strict checks of what the browser posts. Bodies come from anyone on the internet, so every field
 * has one allowed type and size, unknown fields are refused, and nothing is passed on that is not
 * a plain string or number (an object such as `{"$gt": ""}` never reaches a query or the core).
 */

/** The longest message a visitor may send, in characters (emoji count as one). */
export const MAX_TEXT_LENGTH = 2000;

export class WebInputError extends Error {
  constructor(readonly code: 'bad_request' | 'too_long' | 'empty', detail: string) {
    super(detail);
    this.name = 'WebInputError';
  }
}

const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const CHOICE_DATA = /^[\x21-\x7e]{1,64}$/;
const SOURCE_CODE = /^[A-Za-z0-9_-]{1,40}$/;

interface Identified {
  visitorId?: string;
  /** Sent by the page when it runs in the widget's frame on another site. */
  embedded: boolean;
}

/** The honeypot: a form field people never see or fill, named to tempt form-filling bots. */
export const HONEYPOT_FIELD = 'website';

interface Common extends Identified {
  /** The page's language, a hint for the core's first reply. */
  lang: 'vi' | 'en';
  clientMessageId: string;
  /** The last bubble the page has; the answer carries everything after it. */
  after: number;
  /** The honeypot field came filled in: a bot, whose message is dropped without a word. */
  trapped: boolean;
}

export type MessageInput =
  | (Common & { kind: 'text'; text: string })
  | (Common & { kind: 'choice'; choice: string })
  | (Common & { kind: 'start'; src?: string });

export interface PollInput extends Identified {
  lang: 'vi' | 'en';
  after: number;
  wait: boolean;
}

function plainObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WebInputError('bad_request', 'body must be a JSON object');
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw new WebInputError('bad_request', `unknown field ${key}`);
  }
  return body as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new WebInputError('bad_request', `${field} must be a string`);
  return value;
}

function embedded(body: Record<string, unknown>): boolean {
  const value = body.embed ?? false;
  if (typeof value !== 'boolean') throw new WebInputError('bad_request', 'embed must be true or false');
  return value;
}

function language(body: Record<string, unknown>): 'vi' | 'en' {
  const lang = body.lang ?? 'vi';
  if (lang !== 'vi' && lang !== 'en') throw new WebInputError('bad_request', 'lang must be vi or en');
  return lang;
}

function sequence(body: Record<string, unknown>): number {
  const after = body.after ?? 0;
  if (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0) throw new WebInputError('bad_request', 'after must be a whole number');
  return after;
}

/** A message, a button press or the opening of the chat; exactly one of them. */
export function parseMessageBody(raw: unknown): MessageInput {
  const body = plainObject(raw, ['visitorId', 'clientMessageId', 'after', 'text', 'choice', 'start', 'src', 'lang', 'embed', HONEYPOT_FIELD]);
  const visitorId = optionalString(body, 'visitorId');
  const clientMessageId = optionalString(body, 'clientMessageId');
  if (!clientMessageId || !CLIENT_MESSAGE_ID.test(clientMessageId)) throw new WebInputError('bad_request', 'clientMessageId is missing or malformed');
  const trapped = Boolean(optionalString(body, HONEYPOT_FIELD)?.trim());
  const common = { visitorId, clientMessageId, after: sequence(body), lang: language(body), embedded: embedded(body), trapped };
  const text = optionalString(body, 'text');
  const choice = optionalString(body, 'choice');
  const start = body.start;
  const src = optionalString(body, 'src');
  if (start !== undefined && start !== true) throw new WebInputError('bad_request', 'start must be true');
  if ([text !== undefined, choice !== undefined, start === true].filter(Boolean).length !== 1) {
    throw new WebInputError('bad_request', 'send exactly one of text, choice, start');
  }
  if (text !== undefined) {
    if ([...text].length > MAX_TEXT_LENGTH) throw new WebInputError('too_long', 'text too long');
    // Control characters other than line breaks and tabs have no place in a chat message.
    const cleaned = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
    if (!cleaned) throw new WebInputError('empty', 'text is empty');
    return { ...common, kind: 'text', text: cleaned };
  }
  if (choice !== undefined) {
    if (!CHOICE_DATA.test(choice)) throw new WebInputError('bad_request', 'choice is malformed');
    return { ...common, kind: 'choice', choice };
  }
  // A malformed ad code is dropped rather than refused: the visitor should still get a chat.
  return { ...common, kind: 'start', src: src && SOURCE_CODE.test(src) ? src.toLowerCase() : undefined };
}

export function parsePollBody(raw: unknown): PollInput {
  const body = plainObject(raw, ['visitorId', 'after', 'wait', 'lang', 'embed']);
  const wait = body.wait ?? false;
  if (typeof wait !== 'boolean') throw new WebInputError('bad_request', 'wait must be true or false');
  return { visitorId: optionalString(body, 'visitorId'), after: sequence(body), wait, lang: language(body), embedded: embedded(body) };
}
