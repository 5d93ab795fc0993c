import path from 'node:path';
import { rm } from 'node:fs/promises';

/**
 * Where AdminJS writes the bundle of our components. Set before adminjs is first imported (this
 * module is imported first by the feature): Express 5 refuses to serve files from a dot-directory
 * such as AdminJS's default `.adminjs`, so the bundle would answer 404 in production.
 */
process.env.ADMIN_JS_TMP_DIR ??= 'adminjs-tmp';

/**
 * Outside production AdminJS serves the bundle left on disk by the previous run, even after the
 * components changed: removing it makes the first request build a fresh one. In production the
 * bundle is rebuilt at start-up (or prebuilt, with ADMIN_JS_SKIP_BUNDLE=true) and left alone.
 */
export async function dropStaleDevBundle(): Promise<void> {
  if (process.env.NODE_ENV === 'production') return;
  await rm(path.resolve(process.env.ADMIN_JS_TMP_DIR!, 'bundle.js'), { force: true });
}
