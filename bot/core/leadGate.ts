/**
 * How many new leads one origin may create: the web chat's client address, which costs an abuser
 * nothing to reuse, unlike a Telegram or Zalo account (events without an origin are not counted).
 * A sliding window per origin, in memory: per process, like the login limiter, and forgotten at a
 * restart; it bounds floods, it is not an accounting. An office or a mobile carrier may put many
 * real visitors behind one address, hence a per-hour allowance rather than a handful.
 */
export class LeadGate {
  private readonly taken = new Map<string, number[]>();

  constructor(
    private readonly perHour: number = 10,
    private readonly windowMs: number = 3600_000,
  ) {}

  /** True, and counted, when `origin` may create one more lead now. */
  tryTake(origin: string, now = Date.now()): boolean {
    const recent = (this.taken.get(origin) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.perHour) {
      this.taken.set(origin, recent);
      return false;
    }
    recent.push(now);
    this.taken.set(origin, recent);
    // Forget idle origins now and then, so the map does not grow without bound.
    if (this.taken.size > 10_000) for (const [key, times] of this.taken) if (!times.some((at) => now - at < this.windowMs)) this.taken.delete(key);
    return true;
  }
}
