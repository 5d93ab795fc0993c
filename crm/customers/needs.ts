import type { SourceChannel } from '../../models/channels.js';

/** One need as the person said it, on the channel it came from. */
export interface NeedEntry {
  text: string;
  at: Date;
  channel?: string | null;
}

/**
 * The entries to append to a customer's need history for a newly stated need: none when it
 * repeats the latest one. A customer from before the history existed gets their old `need` first,
 * so the earlier need is kept, not replaced.
 */
export function needsToAppend(
  existing: { need?: string | null; needs?: NeedEntry[] | null; createdAt?: Date },
  text: string | undefined,
  channel: SourceChannel,
  at: Date,
): NeedEntry[] {
  const need = text?.trim().slice(0, 2000);
  if (!need) return [];
  const history = existing.needs ?? [];
  const latest = history.length ? history[history.length - 1].text : existing.need;
  if (latest?.trim() === need) return [];
  const older: NeedEntry[] = !history.length && existing.need?.trim() ? [{ text: existing.need.trim(), at: existing.createdAt ?? at }] : [];
  return [...older, { text: need, at, channel }];
}
