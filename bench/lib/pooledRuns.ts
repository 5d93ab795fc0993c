import { percentile } from './benchDatabase.js';
import type { SendersOutcome } from './webhookSenders.js';

/** A run of the senders, with the CPU time chot used meanwhile (ms). */
export interface MeasuredRun extends SendersOutcome {
  cpuMs: number;
}

/** Runs of the same load taken together: updates over the time they took, percentiles over all latencies, chot's CPU per update. */
export function poolRuns(runs: MeasuredRun[]) {
  const sum = (of: (r: MeasuredRun) => number) => runs.reduce((n, r) => n + of(r), 0);
  const updates = sum((r) => r.updates);
  const seconds = sum((r) => r.seconds);
  const latencies = runs.flatMap((r) => r.latencies);
  return {
    updates,
    seconds: round(seconds, 1),
    perSecond: round(updates / seconds, 1),
    errors: sum((r) => r.errors),
    p50ms: round(percentile(latencies, 50), 1),
    p99ms: round(percentile(latencies, 99), 1),
    cpuMsPerUpdate: round(sum((r) => r.cpuMs) / updates, 3),
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
