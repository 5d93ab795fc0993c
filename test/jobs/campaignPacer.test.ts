import { ARRIVAL_JITTER_MS, CATCH_UP_MS, COLD_AFTER_MS, JITTER_QUIET_MS, JITTER_STEP_MS, Pacer, START_JITTER_MS, type PacerTiming } from '../../jobs/campaigns/pacer.js';

/** Virtual time: a sleep moves the clock exactly, so the pacer's schedule is measured without the machine's noise. */
class VirtualTiming implements PacerTiming {
  t = 10_000;
  now = () => this.t;
  sleep = async (ms: number) => {
    if (ms > 0) this.t += ms;
  };
}

/** A busy event loop: every sleep ends up to 15 ms late. */
class LateTiming extends VirtualTiming {
  private n = 0;
  override sleep = async (ms: number) => {
    if (ms > 0) this.t += ms + (this.n++ % 16);
  };
}

const TELEGRAM = { perSecond: 30, perChatIntervalMs: 1000 };

/** Acquires a slot per recipient, one after the other; `stallAt` adds a pause (a busy event loop) before that send. */
async function sendTimes(count: number, stall?: { at: number; ms: number }): Promise<number[]> {
  const timing = new VirtualTiming();
  const pacer = new Pacer(TELEGRAM, timing);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    if (stall && i === stall.at) timing.t += stall.ms;
    expect(await pacer.acquire(`chat-${i}`)).toBe(true);
    times.push(timing.t);
  }
  return times;
}

/**
 * The least time any 31 consecutive sends took: under 1000 ms, Telegram refuses the 31st; the
 * difference to 1000 ms is how much more the first may be delayed on its way than the 31st.
 */
function tightest31(times: number[]): number {
  let least = Infinity;
  for (let i = 0; i + 30 < times.length; i++) least = Math.min(least, times[i + 30]! - times[i]!);
  return least;
}

describe('campaign pacer', () => {
  it('sustains at least 95% of the limit and never fills the platform second', async () => {
    const times = await sendTimes(3000);
    const rate = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    expect(rate).toBeGreaterThanOrEqual(0.95 * 30);
    // A send that reaches Telegram a little late (up to the margin) cannot make a 31st in its second.
    expect(tightest31(times)).toBeGreaterThanOrEqual(1000 + ARRIVAL_JITTER_MS - 0.01);
    // At the start, more: the first sends open connections and arrive later than those after them.
    expect(tightest31(times.slice(0, 60))).toBeGreaterThanOrEqual(1000 + START_JITTER_MS - 0.01);
  });

  it('makes up a short stall instead of losing its slots: the schedule follows the clock, not the last send', async () => {
    // After the start, once the margin has narrowed to its floor (25 s).
    const steady = await sendTimes(1200);
    const stalled = await sendTimes(1200, { at: 900, ms: 80 });
    // Without catching up, every later send would be 80 ms late.
    expect(stalled.at(-1)! - steady.at(-1)!).toBeLessThan(5);
    // A stall is lateness: half the margin may go to making it up, never more, and never in a burst.
    expect(tightest31(stalled)).toBeGreaterThanOrEqual(1000 + ARRIVAL_JITTER_MS / 2 - 0.01);
    const gaps = stalled.slice(1).map((t, i) => t - stalled[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual((1000 + ARRIVAL_JITTER_MS) / 30 / 2 - 0.001);
  });

  it('late wake-ups do not add up: a busy event loop still gets 95% of the limit', async () => {
    const timing = new LateTiming();
    const pacer = new Pacer(TELEGRAM, timing);
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) {
      await pacer.acquire(`chat-${i}`);
      times.push(timing.t);
    }
    expect((times.length - 1) / ((times.at(-1)! - times[0]!) / 1000)).toBeGreaterThanOrEqual(0.95 * 30);
    // Half the margin is still left for the way to the platform.
    expect(tightest31(times)).toBeGreaterThanOrEqual(1000 + ARRIVAL_JITTER_MS / 2);
  });

  it('takes the start margin again after being idle, but not after a stall of a fraction of a second', async () => {
    const timing = new VirtualTiming();
    const pacer = new Pacer(TELEGRAM, timing);
    while (timing.t < 10_000 + 5 * JITTER_QUIET_MS) await pacer.acquire(`warm-${timing.t}`);
    expect(pacer.margin).toBe(ARRIVAL_JITTER_MS);
    // A busy event loop held every lane for longer than the schedule can make up.
    timing.t += CATCH_UP_MS * 3;
    await pacer.acquire('after-stall');
    expect(pacer.margin).toBe(ARRIVAL_JITTER_MS);
    timing.t += COLD_AFTER_MS + 1;
    await pacer.acquire('after-idle');
    expect(pacer.margin).toBe(START_JITTER_MS);
  });

  it('does not start with a burst, and keeps a chat to one message a second even when catching up', async () => {
    const timing = new VirtualTiming();
    const pacer = new Pacer(TELEGRAM, timing);
    const first = timing.t;
    await pacer.acquire('a');
    await pacer.acquire('b');
    expect(timing.t - first).toBeGreaterThanOrEqual(1000 / 30);
    timing.t += 90;
    await pacer.acquire('a');
    expect(timing.t - first).toBeGreaterThanOrEqual(1000);
  });

  it('after a 429, nothing leaves before retry_after has passed', async () => {
    const timing = new VirtualTiming();
    const pacer = new Pacer(TELEGRAM, timing);
    await pacer.acquire('a');
    const refusedAt = timing.t;
    pacer.backOff(2);
    await pacer.acquire('b');
    expect(timing.t - refusedAt).toBeGreaterThanOrEqual(2000);
  });

  it('widens its margin after a 429 (once per burst of refusals) and narrows it again after a quiet while', async () => {
    const timing = new VirtualTiming();
    const pacer = new Pacer(TELEGRAM, timing);
    await pacer.acquire('a');
    // Sending for a while without a 429: narrowed down to the floor.
    while (timing.t < 10_000 + 5 * JITTER_QUIET_MS) await pacer.acquire(`warm-${timing.t}`);
    expect(pacer.margin).toBe(ARRIVAL_JITTER_MS);
    pacer.backOff(1);
    pacer.backOff(1);
    expect(pacer.margin).toBe(ARRIVAL_JITTER_MS + JITTER_STEP_MS);
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      await pacer.acquire(`chat-${i}`);
      times.push(timing.t);
    }
    expect(tightest31(times)).toBeGreaterThanOrEqual(1000 + ARRIVAL_JITTER_MS + JITTER_STEP_MS - 0.01);
    const widenedAt = timing.t;
    while (timing.t < widenedAt + JITTER_QUIET_MS + 100) await pacer.acquire(`later-${timing.t}`);
    expect(pacer.margin).toBe(ARRIVAL_JITTER_MS);
  });
});
