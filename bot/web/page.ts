import { t, type Lang } from '../../i18n/index.js';
import { HONEYPOT_FIELD, MAX_TEXT_LENGTH } from './input.js';
import { formatBytes, MAX_FILE_BYTES } from '../../crm/attachments/limits.js';

/** The texts the browser code needs, in the page's language. */
export function pageTexts(lang: Lang) {
  return {
    title: t(lang, 'web.title'),
    subtitle: t(lang, 'web.subtitle'),
    staffSubtitle: t(lang, 'web.staffSubtitle'),
    staffTitle: t(lang, 'web.staffTitle'),
    placeholder: t(lang, 'web.placeholder'),
    send: t(lang, 'web.send'),
    phonePlaceholder: t(lang, 'web.phonePlaceholder'),
    phoneLabel: t(lang, 'web.phoneLabel'),
    phoneSend: t(lang, 'web.phoneSend'),
    you: t(lang, 'web.you'),
    offline: t(lang, 'web.offline'),
    tooLong: t(lang, 'web.error.tooLong', { max: MAX_TEXT_LENGTH }),
    unexpected: t(lang, 'web.error.unexpected'),
    attach: t(lang, 'attach.web.button'),
    fileTooLarge: t(lang, 'attach.web.tooLarge', { max: formatBytes(MAX_FILE_BYTES) }),
  };
}

/** For text placed in HTML elements and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that is safe inside a `<script type="application/json">` element: no `<` can close the
 * element early, and the two line separators JavaScript once choked on are escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The chat page. It holds no visitor data: the browser code fetches the conversation and draws it
 * with textContent, so nothing a visitor or a customer typed is ever parsed as HTML. A staff member
 * logged into the panel gets the staff header at once (`staffName`), not the visitors' welcome.
 */
export function renderChatPage(opts: { lang: Lang; src?: string; embed: boolean; staffName?: string }): string {
  const texts = pageTexts(opts.lang);
  const config = { lang: opts.lang, src: opts.src ?? null, embed: opts.embed, maxLength: MAX_TEXT_LENGTH, maxFileBytes: MAX_FILE_BYTES, texts };
  const title = opts.staffName ? texts.staffTitle : texts.title;
  const subtitle = opts.staffName ? texts.staffSubtitle.replace('{name}', () => opts.staffName!) : texts.subtitle;
  return `<!doctype html>
<html lang="${opts.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/chat/assets/chat.css">
</head>
<body class="${opts.embed ? 'embed' : 'standalone'}">
<main class="chat" aria-label="${escapeHtml(title)}">
  <header class="chat-header${opts.staffName ? ' staff' : ''}" id="header">
    <h1 class="chat-title" id="title">${escapeHtml(title)}</h1>
    <p class="chat-subtitle" id="subtitle">${escapeHtml(subtitle)}</p>
  </header>
  <ol class="chat-log" id="log" aria-live="polite"></ol>
  <p class="chat-notice" id="notice" role="status" hidden></p>
  <form class="chat-phone" id="phone-form" hidden>
    <input id="phone-input" type="tel" inputmode="tel" autocomplete="tel" maxlength="30" placeholder="${escapeHtml(texts.phonePlaceholder)}" aria-label="${escapeHtml(texts.phoneLabel)}">
    <button type="submit" id="phone-send">${escapeHtml(texts.phoneSend)}</button>
  </form>
  <form class="chat-composer" id="composer">
    <label class="chat-attach" title="${escapeHtml(texts.attach)}"><input type="file" id="file" accept="image/jpeg,image/png,image/webp,image/gif,.pdf,.docx,.xlsx,.pptx,.txt,.csv" aria-label="${escapeHtml(texts.attach)}">📎</label>
    <textarea id="text" rows="1" maxlength="${MAX_TEXT_LENGTH}" placeholder="${escapeHtml(texts.placeholder)}" aria-label="${escapeHtml(texts.placeholder)}"></textarea>
    <input class="chat-hp" id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" type="text" tabindex="-1" autocomplete="off" aria-hidden="true">
    <button type="submit" id="send">${escapeHtml(texts.send)}</button>
  </form>
</main>
<script type="application/json" id="chat-config">${jsonForScript(config)}</script>
<script src="/chat/assets/chat.js" defer></script>
</body>
</html>
`;
}
