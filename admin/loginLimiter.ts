/**
 * Counts failed logins per account and per address in a sliding window. In memory, per process:
 * enough to make password guessing slow; a team running several web processes multiplies the
 * allowance by their number, which is still far from brute-force speed.
 */
export class LoginLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly opts: { perAccount: number; perAddress: number; windowMs: number } = { perAccount: 5, perAddress: 20, windowMs: 15 * 60 * 1000 },
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.opts.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** True when this account or this address has failed too often lately. */
  isBlocked(email: string, ip: string, now = Date.now()): boolean {
    return this.recent(`a:${email}`, now).length >= this.opts.perAccount || this.recent(`i:${ip}`, now).length >= this.opts.perAddress;
  }

  recordFailure(email: string, ip: string, now = Date.now()): void {
    for (const key of [`a:${email}`, `i:${ip}`]) this.failures.set(key, [...this.recent(key, now), now]);
    // Keeps memory bounded when someone sprays random emails.
    if (this.failures.size > 50_000) this.failures.clear();
  }

  /** A good login clears the account's failures (not the address's: one person may guess many accounts). */
  recordSuccess(email: string): void {
    this.failures.delete(`a:${email}`);
  }
}
