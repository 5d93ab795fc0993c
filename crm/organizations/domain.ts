/**
 * Mail providers anyone can sign up with: an address there says nothing about a company, so
 * contacts are never matched to an organization through them. The Vietnamese ones are included.
 */
export const FREE_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.com.vn', 'ymail.com', 'outlook.com', 'outlook.com.vn', 'hotmail.com',
  'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'zoho.com',
  'mail.com', 'gmx.com', 'yandex.com', 'mail.ru', 'qq.com', '163.com',
  // Vietnamese providers (VNPT, Viettel, FPT, Zing…)
  'vnn.vn', 'hn.vnn.vn', 'hcm.vnn.vn', 'fpt.vn', 'viettel.com.vn', 'zing.vn', 'zingmail.vn', 'mail.vn',
]);

/** The host of a website as typed (`https://www.abc.com.vn/lien-he`, `abc.vn`), lower case, without `www.`. */
export function domainOfWebsite(website: unknown): string | undefined {
  const text = String(website ?? '').trim().toLowerCase().slice(0, 300);
  if (!text) return undefined;
  const host = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split(/[/?#:\s]/)[0].replace(/^www\./, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : undefined;
}

/** The company domain of an email address, or undefined for a free-mail address or a malformed one. */
export function companyDomainOfEmail(email: unknown): string | undefined {
  const text = String(email ?? '').trim().toLowerCase();
  const at = text.lastIndexOf('@');
  if (at < 1) return undefined;
  const domain = domainOfWebsite(text.slice(at + 1));
  return domain && !FREE_MAIL_DOMAINS.has(domain) ? domain : undefined;
}
