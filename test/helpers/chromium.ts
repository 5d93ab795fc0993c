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
  browser: BrowserContext;
  page: Page;
  /** What the browser refused under the panel's Content-Security-Policy: must stay empty. */
  cspViolations: string[];
  /** Script errors on the pages (the page's address, then the message). */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Headless chromium in Vietnamese on a fresh profile (nothing remembered from a previous run:
 * language, cookies), collecting policy refusals and script errors.
 */
export async function openPanelBrowser(chromiumPath: string, viewport = { width: 1280, height: 900 }): Promise<PanelBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'chot-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    locale: 'vi-VN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(20_000);
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    // The Google font the layout asks for is not reachable offline; a refusal by policy is what counts.
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return {
    browser,
    page,
    cspViolations,
    pageErrors,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
