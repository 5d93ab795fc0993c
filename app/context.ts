import type { Express } from 'express';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Database } from './database.js';
import type { Notifier } from '../bot/core/notifier.js';
import type { ChannelBoard } from './channels.js';

/** Which halves of chot this process runs: `npm start` runs both, `npm run web` / `npm run worker` one. */
export interface RunMode {
  web: boolean;
  worker: boolean;
}

/** What every feature gets when the app starts. */
export interface AppContext {
  config: Config;
  logger: Logger;
  db: Database;
  mode: RunMode;
  /** The HTTP app; features mount their routes on it before it listens. */
  http: Express;
  /** Sends alerts, reminders and relayed replies on whatever channels are running. */
  notifier: Notifier;
  /** Brings chat channels up in the background and tracks how each platform is doing. */
  channels: ChannelBoard;
  /** Shared objects one feature offers another (the notifier, the chat core), by name. */
  registry: Map<string, unknown>;
}

/** A part of the product (chat channels, admin panel, jobs) that starts with the app and stops with it. */
export interface Feature {
  name: string;
  /** Features start in list order, after the database and seeding, before the server listens. */
  start(ctx: AppContext): Promise<{ stop?(): Promise<void> } | void>;
}
