/**
 * The filter for customers by phone. The unique index on `phones` is partial (only customers with
 * at least one phone, so any number may have none), and MongoDB uses a partial index only for a
 * query that contains the index's own filter: `{ phones: p }` alone reads every customer. So every
 * lookup by phone goes through here and carries `'phones.0': { $exists: true }`, which changes no
 * result (a customer holding a phone has a first one).
 */
export const HAS_PHONE = { 'phones.0': { $exists: true } } as const;

/** `condition` is what `phones` must match: a phone, `{ $in: [...] }`, `{ $all: [...] }`, a `$regex`. */
export function byPhone<C>(condition: C): { phones: C; 'phones.0': { $exists: true } } {
  return { phones: condition, ...HAS_PHONE };
}

/** Customers not deleted that hold a phone matching `condition`: every lookup of a holder. */
export function livingByPhone<C>(condition: C): { phones: C; 'phones.0': { $exists: true }; deletedAt: null } {
  return { ...byPhone(condition), deletedAt: null };
}
