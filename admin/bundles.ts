import { Router as AdminRouter } from 'adminjs';

/**
 * The panel's scripts without source maps. Outside production AdminJS serves its development
 * bundles and builds ours with an inline map, which would hand every browser the source of
 * admin/components/*.jsx. Its production bundles ship in the same package and carry no map, so
 * they are served in every mode, and our components are bundled without one. A developer who wants
 * the maps sets DEV_DIAGNOSTICS=true.
 */
export async function serveBundlesWithoutSourceMaps(): Promise<void> {
  for (const asset of AdminRouter.assets) asset.src = asset.src.replace(/\.development\.js$/, '.production.js');
  // Not in adminjs's type declarations, but exported by its package: the bundler the panel uses.
  const bundlerModule = 'adminjs/bundler';
  const { componentsBundler } = (await import(bundlerModule)) as { componentsBundler: { outputOptions: { sourcemap?: unknown } } };
  componentsBundler.outputOptions.sourcemap = false;
}
