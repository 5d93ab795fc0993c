import { fetchLimited } from '../../core/fileDownload.js';
import type { ChatAttachment } from '../../core/types.js';

/**
 * A Zalo Bot image as a core attachment, fetched from the `photo_url` the update carries. The
 * update passed the webhook's secret (or came from our own poll), but the URL is still only
 * followed over HTTPS, or to the Bot API's own origin (a local or fake server in tests): never to
 * a plain-http address inside the network.
 */
export function zaloImage(photoUrl: unknown, messageId: string, apiOrigin?: string): ChatAttachment | undefined {
  if (typeof photoUrl !== 'string' || photoUrl.length > 2000) return undefined;
  let url: URL;
  try {
    url = new URL(photoUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.origin !== apiOrigin) return undefined;
  return { kind: 'photo', fileId: messageId, download: (maxBytes) => fetchLimited(url.href, maxBytes) };
}
