/**
 * CongoDB answers an exclusion projection on a nested path (`{ 'address.street': 0 }`) by copying
 * the document one level deep and deleting the field from the copy: the nested object is still the
 * stored one, so the field disappears from the database itself, without a journal record (gone for
 * good at the next snapshot). Documents are copied along every excluded dotted path before
 * CongoDB's projection runs, so it only ever deletes from copies.
 */
interface ProjectingEngine {
  project(documents: Record<string, unknown>[], projection: Record<string, unknown> | undefined): Record<string, unknown>[];
}

const PATCHED = Symbol.for('chot.projectionCopy');

export function copyBeforeNestedExclusion(engine: ProjectingEngine): void {
  const target = engine as ProjectingEngine & { [PATCHED]?: boolean };
  if (target[PATCHED]) return;
  const project = engine.project.bind(engine);
  engine.project = (documents, projection) => {
    const paths = excludedNestedPaths(projection);
    return project(paths.length ? documents.map((doc) => copyAlong(doc, paths)) : documents, projection);
  };
  target[PATCHED] = true;
}

function excludedNestedPaths(projection: Record<string, unknown> | undefined): string[][] {
  if (!projection) return [];
  return Object.entries(projection)
    .filter(([key, value]) => key.includes('.') && (value === 0 || value === false))
    .map(([key]) => key.split('.'));
}

/** A copy of `doc` whose plain objects and arrays on each path are copies too; everything else is shared. */
function copyAlong(doc: Record<string, unknown>, paths: string[][]): Record<string, unknown> {
  const root: Record<string, unknown> = { ...doc };
  for (const path of paths) {
    let parent: Record<string, unknown> = root;
    for (const part of path.slice(0, -1)) {
      const child = parent[part];
      if (Array.isArray(child)) parent[part] = child.map((item) => (isPlainObject(item) ? { ...item } : item));
      else if (isPlainObject(child)) parent[part] = { ...child };
      else break;
      parent = parent[part] as Record<string, unknown>;
    }
  }
  return root;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
