import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * One rule for every browser test, the same as `.ci/run`: the chromium found by `command -v
 * chromium` (the PATH), or CHROMIUM_PATH when set. Outside CI a missing browser skips the file
 * visibly, its reason in the skipped block's name; in CI (`CI` set, as `.ci/run` does) it fails.
 */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return isExecutable(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'chromium'))) return path.join(dir, 'chromium');
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `describe` with the browser's path, or a visible skip (a failure in CI) saying why there is none. */
export function describeWithChromium(name: string, body: (chromiumPath: string) => void): void {
  const found = findChromium();
  if (found) {
    describe(name, () => body(found));
    return;
  }
  const why = process.env.CHROMIUM_PATH
    ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable`
    : 'no chromium on the PATH (apt-get install chromium, or set CHROMIUM_PATH)';
  if (process.env.CI) {
    describe(name, () => {
      it('needs a browser in CI', () => {
        throw new Error(`browser tests cannot run in CI: ${why}`);
      });
    });
    return;
  }
  describe.skip(`${name} [skipped: ${why}]`, () => {
    it('needs a browser', () => undefined);
  });
}

/** One browser on a fresh profile, as every panel browser test opens it, and what it saw go wrong. */
export interface PanelBrowser {
  context: BrowserContext;
  page: Page;
  /** What the browser refused under a page's Content-Security-Policy: a test expects none. */
  cspViolations: string[];
  /** Script errors on the pages (the page's address, then the message): a test expects none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Headless chromium as a Vietnamese user opens the panel: a fresh profile (nothing remembered
 * from an earlier run: language, cookies), locale vi-VN, no background traffic of its own, and the
 * page's CSP refusals and script errors collected. `timezoneId` plays a browser in another zone
 * than the machine's.
 */
export async function openBrowser(
  chromiumPath: string,
  opts: { timezoneId?: string; viewport?: { width: number; height: number } } = {},
): Promise<PanelBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'chot-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: 'vi-VN',
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return {
    context,
    page,
    cspViolations,
    pageErrors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
