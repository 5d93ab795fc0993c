import path from 'node:path';

/**
 * Each jest worker bundles the panel's components into its own folder. Outside production AdminJS
 * builds the bundle on the first request for it and writes it to ADMIN_JS_TMP_DIR; two workers
 * starting a panel at once in one shared folder overwrite each other's file while a browser reads
 * it (a truncated script, a blank panel). Imported first by the panel harness, before adminjs
 * reads the variable; assigned, not defaulted, because an earlier test file of the same worker may
 * already have set the product's default.
 */
process.env.ADMIN_JS_TMP_DIR = path.join('adminjs-tmp', `jest-${process.env.JEST_WORKER_ID ?? '0'}`);
