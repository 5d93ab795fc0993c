/**
 * An id or text field from a platform's JSON as a plain string, or undefined when it is anything
 * else. Webhook bodies are parsed JSON: an object such as `{"$gt": ""}` where an id belongs must
 * not become "[object Object]" (one dedup key for every such event) or reach a query.
 */
export function plainId(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
