import { t, type Lang } from '../i18n/index.js';

/**
 * The generated password of the first admin, as a framed block for the person at the terminal.
 * It goes to the terminal stream (stderr), never through the JSON logger: log lines are kept in
 * files and shipped elsewhere, and a password there outlives its first use. Both languages are
 * shown because nobody has chosen one yet when chot starts for the first time.
 */
export function firstAdminNotice(account: { email: string; password: string; url?: string }): string {
  const lines: string[] = [];
  (['vi', 'en'] as Lang[]).forEach((lang, i) => {
    if (i) lines.push('');
    lines.push(t(lang, 'startup.firstAdmin.title'));
    if (account.url) lines.push(t(lang, 'startup.firstAdmin.url', { url: account.url }));
    lines.push(t(lang, 'startup.firstAdmin.email', { email: account.email }));
    lines.push(t(lang, 'startup.firstAdmin.password', { password: account.password }));
    lines.push(t(lang, 'startup.firstAdmin.change'));
    lines.push(t(lang, 'startup.firstAdmin.once'));
  });
  return frame(lines);
}

/** Vietnamese letters may arrive decomposed: measure them composed, one column each. */
const width = (text: string) => [...text.normalize('NFC')].length;

function frame(lines: string[]): string {
  const inner = Math.max(...lines.map(width));
  const rule = '═'.repeat(inner + 2);
  const body = lines.map((line) => `║ ${line.normalize('NFC')}${' '.repeat(inner - width(line))} ║`);
  return ['', `╔${rule}╗`, ...body, `╚${rule}╝`, ''].join('\n') + '\n';
}
