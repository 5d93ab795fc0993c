/**
 * A plausible single mailbox: one @, no spaces, quotes, angle brackets or commas (each of which
 * could add a second recipient or a header), a dotted domain. The mail server has the final word.
 */
const MAILBOX = /^[^\s@<>",;:()[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;

export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = value.trim().toLowerCase();
  return email.length <= 200 && MAILBOX.test(email) ? email : null;
}
