import { accessSync, constants } from 'node:fs';
import path from 'node:path';

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
