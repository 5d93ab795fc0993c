import { CacheVersion, onCacheVersionBump } from '../../models/cacheVersion.js';

/** How stale a cached value may get when another process changes the data. */
export const CACHE_CHECK_MS = 1000;

/**
 * Data every chat update needs (company settings, who the staff are) kept in this process and
 * reloaded only when its cache version moved. The versions are read at most once a second for all
 * caches together, and only when a cache is used, so an idle process costs nothing and a busy one
 * one small query a second instead of a scan per update.
 */
export class VersionedCache<T> {
  private value?: Promise<T>;

  constructor(
    readonly name: string,
    private readonly load: () => Promise<T>,
  ) {
    // Caches may share a version name (data read two ways): a bump of it drops them all.
    const named = caches.get(name) ?? new Set<VersionedCache<unknown>>();
    named.add(this as VersionedCache<unknown>);
    caches.set(name, named);
  }

  async get(): Promise<T> {
    if (process.env.CHOT_NO_CACHE === '1') return this.load();
    await checkVersions();
    // Promise.resolve: a loader handing back a mongoose query (a thenable) still runs it only once.
    const value = (this.value ??= Promise.resolve(this.load()));
    // A failed load is not kept: the next caller tries again.
    value.catch(() => {
      if (this.value === value) this.value = undefined;
    });
    return value;
  }

  drop(): void {
    this.value = undefined;
  }
}

const caches = new Map<string, Set<VersionedCache<unknown>>>();
const seen = new Map<string, number>();
let checkedAt = -Infinity;
let checking: Promise<void> | undefined;

function moved(name: string, version: number): void {
  if (seen.get(name) === version) return;
  seen.set(name, version);
  for (const cache of caches.get(name) ?? []) cache.drop();
}

onCacheVersionBump(moved);

function checkVersions(): Promise<void> {
  if (performance.now() - checkedAt < CACHE_CHECK_MS) return Promise.resolve();
  checking ??= (async () => {
    try {
      const versions = await CacheVersion.find({}, { name: 1, version: 1 }).lean();
      const present = new Set<string>();
      for (const v of versions) {
        present.add(v.name);
        moved(v.name, v.version);
      }
      // A version document removed (a dropped database) counts as a change too.
      for (const name of [...seen.keys()]) if (!present.has(name)) moved(name, -1);
      checkedAt = performance.now();
    } finally {
      checking = undefined;
    }
  })();
  return checking;
}

/** Forget everything cached (a test that swaps the database under a running process). */
export function dropAllCaches(): void {
  for (const named of caches.values()) for (const cache of named) cache.drop();
  seen.clear();
  checkedAt = -Infinity;
}
