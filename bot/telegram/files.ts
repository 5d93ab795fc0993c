import type { Api } from 'grammy';
import type { Message } from 'grammy/types';
import { fetchLimited } from '../core/fileDownload.js';
import type { ChatEvent } from '../core/types.js';

/** How the adapter fetches a file the core decided to keep: getFile, then the Bot API's file URL. */
export interface TelegramFiles {
  download(fileId: string, maxBytes: number): Promise<Buffer>;
}

export function telegramFiles(api: Api, opts: { token: string; apiRoot?: string; fetch?: typeof fetch }): TelegramFiles {
  const root = (opts.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  return {
    async download(fileId, maxBytes) {
      const file = await api.getFile(fileId);
      // file_path is Telegram's, but still checked: it becomes part of a URL with the token in it.
      if (!file.file_path || !/^[\w\-./]+$/.test(file.file_path) || file.file_path.includes('..')) throw new Error('telegram file has no usable path');
      return fetchLimited(`${root}/file/bot${opts.token}/${file.file_path}`, maxBytes, opts.fetch);
    },
  };
}

/**
 * A message's photo, document or location as the core reads them. A photo comes in several
 * sizes: the largest is kept. Live locations are not check-ins (their later moves come as edits,
 * which chot does not read); the first position still is.
 */
export function mediaOf(message: Message, files: TelegramFiles | undefined): Pick<ChatEvent, 'attachment' | 'location'> | undefined {
  if (message.location && Number.isFinite(message.location.latitude) && Number.isFinite(message.location.longitude)) {
    return { location: { latitude: message.location.latitude, longitude: message.location.longitude } };
  }
  if (!files) return undefined;
  const photo = message.photo?.length ? message.photo[message.photo.length - 1] : undefined;
  const fileRef = photo ?? message.document;
  if (!fileRef || typeof fileRef.file_id !== 'string') return undefined;
  const fileId = fileRef.file_id;
  const size = typeof fileRef.file_size === 'number' ? fileRef.file_size : undefined;
  const document = photo ? undefined : message.document;
  return {
    attachment: {
      kind: photo ? 'photo' : 'document',
      fileId,
      name: typeof document?.file_name === 'string' ? document.file_name : undefined,
      declaredType: typeof document?.mime_type === 'string' ? document.mime_type : undefined,
      size,
      download: (maxBytes) => files.download(fileId, maxBytes),
    },
  };
}
