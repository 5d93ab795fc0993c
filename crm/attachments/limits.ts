/**
 * How much chot keeps per file and per customer. Constants, not settings: they bound what one
 * chat message can make the database hold, and the numbers are said in the refusal.
 * - 10 MB a file: a phone photo is 1-5 MB, a scanned contract a few MB; Telegram lets bots fetch
 *   up to 20 MB, so the limit is ours, not the platform's.
 * - 200 MB a customer: twenty large contracts, or a hundred site photos, per customer.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_CUSTOMER_BYTES = 200 * 1024 * 1024;

/** A size as people read it: `10 MB`, `350 kB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}
