import { t, type Lang } from '../../../i18n/index.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

/** One paragraph's lines, escaped, with web addresses made into links (escaped too). */
function paragraphHtml(paragraph: string): string {
  const lines = paragraph.split('\n').map((line) => {
    let out = '';
    let last = 0;
    for (const m of line.matchAll(URL_IN_TEXT)) {
      out += escapeHtml(line.slice(last, m.index)) + `<a href="${escapeHtml(m[0])}">${escapeHtml(m[0])}</a>`;
      last = m.index! + m[0].length;
    }
    return out + escapeHtml(line.slice(last));
  });
  return `<p>${lines.join('<br>\n')}</p>`;
}

export interface EmailBodyInput {
  /** The message as the caller wrote it, placeholders filled. Never trusted as HTML. */
  text: string;
  lang: Lang;
  /** Bulk messages only: the recipient's own unsubscribe page. */
  unsubscribeUrl?: string;
  /** When open tracking is on: a 1×1 image whose loading records the open. */
  openPixelUrl?: string;
}

/**
 * The plain text and the HTML of one email, from the same text: whatever a caller or a customer
 * field put in it is escaped, so a name like `<script>` shows as written and nothing else runs.
 */
export function composeEmail(input: EmailBodyInput): { text: string; html: string } {
  const body = input.text.replace(/\r\n?/g, '\n').trim();
  const paragraphs = body.split(/\n{2,}/).map(paragraphHtml);
  let text = body;
  if (input.unsubscribeUrl) {
    const footer = t(input.lang, 'outreach.email.unsubscribeFooter');
    text += `\n\n--\n${footer}: ${input.unsubscribeUrl}`;
    paragraphs.push(
      `<hr>\n<p style="font-size:12px;color:#666">${escapeHtml(footer)}: <a href="${escapeHtml(input.unsubscribeUrl)}">${escapeHtml(t(input.lang, 'outreach.email.unsubscribeLink'))}</a></p>`,
    );
  }
  if (input.openPixelUrl) paragraphs.push(`<img src="${escapeHtml(input.openPixelUrl)}" width="1" height="1" alt="" style="display:block;border:0">`);
  const html = `<!doctype html>\n<html lang="${input.lang}"><head><meta charset="utf-8"></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5">\n${paragraphs.join('\n')}\n</body></html>`;
  return { text, html };
}
