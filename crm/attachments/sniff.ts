import type { AttachmentKind } from '../../models/attachment.js';

/** What the bytes of a file are, judged from the bytes alone. */
export interface SniffedType {
  contentType: string;
  kind: AttachmentKind;
  /** The extension the stored name gets when the sender's name says something else. */
  extension: string;
}

const startsWith = (bytes: Buffer, magic: number[], at = 0) => bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const IMAGES: { magic: number[]; at?: number; also?: { magic: number[]; at: number }; type: SniffedType }[] = [
  { magic: [0xff, 0xd8, 0xff], type: { contentType: 'image/jpeg', kind: 'photo', extension: 'jpg' } },
  { magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], type: { contentType: 'image/png', kind: 'photo', extension: 'png' } },
  { magic: ascii('GIF87a'), type: { contentType: 'image/gif', kind: 'photo', extension: 'gif' } },
  { magic: ascii('GIF89a'), type: { contentType: 'image/gif', kind: 'photo', extension: 'gif' } },
  { magic: ascii('RIFF'), also: { magic: ascii('WEBP'), at: 8 }, type: { contentType: 'image/webp', kind: 'photo', extension: 'webp' } },
];

const PDF: SniffedType = { contentType: 'application/pdf', kind: 'document', extension: 'pdf' };
const TEXT: SniffedType = { contentType: 'text/plain; charset=utf-8', kind: 'document', extension: 'txt' };

/**
 * Office files are zip archives; which one is told by the part names the archive lists (its
 * central directory, at the end, names every part in plain ASCII). A zip that is not one of
 * these (an archive of anything) is refused: it could carry what we refuse elsewhere.
 */
const OFFICE: { part: string; type: SniffedType }[] = [
  { part: 'word/document.xml', type: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'document', extension: 'docx' } },
  { part: 'xl/workbook.xml', type: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'document', extension: 'xlsx' } },
  { part: 'ppt/presentation.xml', type: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', kind: 'document', extension: 'pptx' } },
];

/**
 * The type of a file from its first bytes (magic numbers), or undefined for anything chot does
 * not keep: executables, HTML and SVG (script a browser would run), archives, unknown formats.
 * The name and the declared MIME type are never consulted: both are the sender's word.
 */
export function sniffContentType(bytes: Buffer): SniffedType | undefined {
  for (const image of IMAGES) {
    if (startsWith(bytes, image.magic, image.at) && (!image.also || startsWith(bytes, image.also.magic, image.also.at))) return image.type;
  }
  if (startsWith(bytes, ascii('%PDF-'))) return PDF;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (!bytes.includes('[Content_Types].xml')) return undefined;
    return OFFICE.find((o) => bytes.includes(o.part))?.type;
  }
  return isPlainText(bytes) ? TEXT : undefined;
}

/**
 * UTF-8 text with no control characters but tab, line breaks and form feed, that does not start
 * like markup (`<html`, `<svg`, `<?xml`): a browser told "text/plain" with nosniff shows it as
 * text anyway, but markup has no business in a customer's files and is refused as such.
 */
function isPlainText(bytes: Buffer): boolean {
  if (!bytes.length) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return false;
  return !text.replace(/^\ufeff/, '').trimStart().startsWith('<');
}
