import type { OaTokenManager } from './tokens.js';

/**
 * The token manager of the running Zalo OA channel, for the scheduled refresh job (jobs get a clock,
 * the notifier and a logger, not the app's registry). Unset when Zalo OA is off in this process.
 */
let active: OaTokenManager | undefined;

export function setActiveOaTokens(tokens: OaTokenManager | undefined): void {
  active = tokens;
}

export function activeOaTokens(): OaTokenManager | undefined {
  return active;
}
