import type { Logger } from '../../app/logger.js';
import type { Actor } from '../../crm/users/actor.js';
import type { StaffUser } from '../../crm/users/users.js';
import type { Lang } from '../../i18n/index.js';
import type { Notifier } from './notifier.js';
import type { LeadGate } from './leadGate.js';
import type { Session } from './session.js';
import type { ChatEvent } from './types.js';

export interface CoreDeps {
  notifier: Notifier;
  logger: Logger;
  /** The current time; tests pin it. */
  clock?: () => Date;
  /** Limits new leads per origin (the web chat's address); none: unlimited. */
  leadGate?: LeadGate;
}

/** Everything one flow step needs about the message being handled. */
export interface Turn {
  event: ChatEvent;
  session: Session;
  lang: Lang;
  now: Date;
  timezone: string;
  companyName: string;
  deps: CoreDeps;
  /** The message text, trimmed (empty when the event carries none). */
  text: string;
}

export interface StaffTurn extends Turn {
  staff: StaffUser;
  actor: Actor;
}

/** Longest text the core accepts from a person; longer is refused with a message, not cut silently. */
export const MAX_TEXT = 4000;
