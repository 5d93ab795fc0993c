import { CrmError } from '../../crm/shared/errors.js';
import { formatBytes } from '../../crm/attachments/limits.js';

/**
 * Reads a platform's file over HTTP, stopping as soon as more than `maxBytes` came: a declared size
 * can lie or be missing, so the limit is held on the bytes themselves. Used by every adapter that
 * fetches a file by URL (the Telegram file API, Zalo's image links).
 */
export async function fetchLimited(url: string, maxBytes: number, fetchFn: typeof fetch = fetch, timeoutMs = 60_000): Promise<Buffer> {
  const response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  if (!response.ok || !response.body) throw new Error(`file download failed: HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new CrmError('attachment.tooLarge', { max: formatBytes(maxBytes), size: formatBytes(declared) });
  }
  const parts: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new CrmError('attachment.tooLarge', { max: formatBytes(maxBytes), size: `> ${formatBytes(maxBytes)}` });
    }
    parts.push(Buffer.from(value));
  }
  return Buffer.concat(parts);
}
