/**
 * The order of a panel list: the chosen field, then `_id` the same way, so equal values keep one
 * order from page to page. The indexes that serve the default sorts end in `_id` for that reason.
 * (Apart from listQuery.ts so the bench's explain can use it without loading AdminJS.)
 */
export function listSort(sortBy: string, direction: 'asc' | 'desc'): Record<string, 1 | -1> {
  const way = direction === 'asc' ? 1 : -1;
  return { [sortBy]: way, _id: way };
}
