/**
 * One area's texts: Vietnamese (the default) and English. English must have every Vietnamese key,
 * so a missing translation is a type error. `{name}` marks a value filled in by `t()`.
 */
export function defineMessages<const V extends Record<string, string>>(vi: V, en: { [K in keyof V]: string }) {
  return { vi, en: en as Record<keyof V, string> };
}
