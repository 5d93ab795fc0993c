/**
 * Slows password guessing without handing an attacker a way to lock people out. Failures are
 * counted per (account, address) pair: the first few are free, then each one doubles the wait
 * before that pair may try again (2 s, 4 s, 8 s … up to 15 minutes). The real user, from their own
 * address, is never slowed by someone else's guesses. An address that fails across many accounts
 * is stopped as a whole. In memory, per process: several web processes multiply the allowance,
 * which is still far from brute-force speed.
 */
export interface LoginLimits {
  /** Failures per pair before any wait. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures per address, all accounts together, within the window. */
  perAddress: number;
  windowMs: number;
}

const DEFAULT_LIMITS: LoginLimits = { freeFailures: 5, baseDelayMs: 2000, maxDelayMs: 15 * 60 * 1000, perAddress: 30, windowMs: 15 * 60 * 1000 };

interface PairState {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class LoginLimiter {
  private pairs = new Map<string, PairState>();
  private addresses = new Map<string, number[]>();

  constructor(private readonly limits: LoginLimits = DEFAULT_LIMITS) {}

  private pair(email: string, ip: string, now: number): PairState | undefined {
    const key = `${email}\n${ip}`;
    const state = this.pairs.get(key);
    // A pair quiet for a whole window starts over.
    if (state && now - state.lastFailureAt > Math.max(this.limits.windowMs, state.blockedUntil - state.lastFailureAt)) {
      this.pairs.delete(key);
      return undefined;
    }
    return state;
  }

  private addressFailures(ip: string, now: number): number[] {
    const recent = (this.addresses.get(ip) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (recent.length) this.addresses.set(ip, recent);
    else this.addresses.delete(ip);
    return recent;
  }

  /** How long this account must wait from this address before trying again (0: it may try now). */
  waitMs(email: string, ip: string, now = Date.now()): number {
    const pairWait = Math.max(0, (this.pair(email, ip, now)?.blockedUntil ?? 0) - now);
    const fromAddress = this.addressFailures(ip, now);
    const addressWait = fromAddress.length >= this.limits.perAddress ? fromAddress[0] + this.limits.windowMs - now : 0;
    return Math.max(pairWait, addressWait);
  }

  recordFailure(email: string, ip: string, now = Date.now()): void {
    const key = `${email}\n${ip}`;
    const state = this.pair(email, ip, now) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    state.failures += 1;
    state.lastFailureAt = now;
    const over = state.failures - this.limits.freeFailures;
    if (over > 0) state.blockedUntil = now + Math.min(this.limits.maxDelayMs, this.limits.baseDelayMs * 2 ** Math.min(over - 1, 30));
    this.pairs.set(key, state);
    this.addresses.set(ip, [...this.addressFailures(ip, now), now]);
    // Keeps memory bounded when someone sprays random emails.
    if (this.pairs.size > 50_000) this.pairs.clear();
    if (this.addresses.size > 50_000) this.addresses.clear();
  }

  /** A good login clears that pair (not the address: one person may guess many accounts). */
  recordSuccess(email: string, ip: string): void {
    this.pairs.delete(`${email}\n${ip}`);
  }
}
