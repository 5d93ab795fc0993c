import type { ActionResponse, After, ResourceWithOptions } from 'adminjs';

/** Field names that hold a credential. Whatever the resource, such a field never reaches a browser. */
const SECRET_SEGMENT = /hash|secret|token|^password$/i;
/** AdminJS's own actions: each gets the filter even where a resource does not mention it. */
const BUILT_IN_ACTIONS = ['list', 'show', 'search', 'new', 'edit', 'delete', 'bulkDelete'];

function isSecretKey(key: string): boolean {
  return key.split('.').some((segment) => SECRET_SEGMENT.test(segment));
}

/**
 * Removes every secret-named field from an answer, at any depth: a record's params, its populated
 * references (an interaction's user, a customer's owner), lists, search results, custom results.
 * The models already keep hashes out of queries (`select: false`); this is the panel's own guarantee
 * for anything a handler or a populate might add later.
 */
export function withoutSecrets<T>(value: T, depth = 0): T {
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (const item of value) withoutSecrets(item, depth + 1);
    return value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (isSecretKey(key)) delete record[key];
    else withoutSecrets(record[key], depth + 1);
  }
  return value;
}

const scrub: After<ActionResponse> = async (response) => withoutSecrets(response);

/** The resources with the filter after every action, built-in and custom: one place, all resources. */
export function secretsFiltered<R extends ResourceWithOptions>(resources: R[]): R[] {
  return resources.map((entry) => {
    const actions: Record<string, any> = { ...(entry.options?.actions ?? {}) };
    for (const name of new Set([...BUILT_IN_ACTIONS, ...Object.keys(actions)])) {
      const action = actions[name] ?? {};
      const after = action.after === undefined ? [] : Array.isArray(action.after) ? action.after : [action.after];
      actions[name] = { ...action, after: [...after, scrub] };
    }
    return { ...entry, options: { ...entry.options, actions } };
  });
}

/** The same filter around a dashboard or page handler, which AdminJS calls outside of actions. */
export function secretsFilteredHandler<H extends (...args: any[]) => Promise<unknown>>(handler: H): H {
  return (async (...args: unknown[]) => withoutSecrets(await handler(...args))) as H;
}
