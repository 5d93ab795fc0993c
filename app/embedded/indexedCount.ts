import { Long } from 'bson';
import type { CommandReply, ParsedCommand } from './internals.js';
import type { QueryIndexes } from './queryIndexes.js';

/**
 * Counts answered from the in-memory indexes without reading a document: the `count` command and
 * the pipeline the driver's countDocuments sends (`$match`, then a `$group` of everything into one
 * constant `_id` with `{$sum: 1}`). A list page runs one with the page's filter; CongoDB answers it
 * by testing every document. Undefined when the filter is not exactly answerable (see
 * QueryIndexes.exactCount) or the command has any other shape: CongoDB then answers it.
 */
export function countReply(indexes: QueryIndexes, { command: body, database }: ParsedCommand): CommandReply | undefined {
  // A collation may make equal what the index keeps apart.
  if (body.collation || body.hint) return undefined;
  if (typeof body.count === 'string') {
    if (body.limit || body.skip || !isFilter(body.query ?? {})) return undefined;
    const n = indexes.exactCount(database, body.count, (body.query ?? {}) as Record<string, unknown>);
    return n === undefined ? undefined : { ok: 1, n };
  }
  if (typeof body.aggregate !== 'string' || body.explain || !Array.isArray(body.pipeline) || body.pipeline.length !== 2) return undefined;
  const [match, group] = body.pipeline as Record<string, unknown>[];
  const filter = match?.$match;
  const counter = countingGroup(group?.$group);
  if (!isFilter(filter) || !counter || Object.keys(match!).length !== 1 || Object.keys(group!).length !== 1) return undefined;
  const n = indexes.exactCount(database, body.aggregate, filter);
  if (n === undefined) return undefined;
  return { ok: 1, cursor: { id: Long.fromNumber(0), ns: `${database}.${body.aggregate}`, firstBatch: n ? [{ _id: counter.id, [counter.field]: n }] : [] } };
}

/** `{ _id: <constant>, <field>: { $sum: 1 } }`: the group that counts its input. */
function countingGroup(group: unknown): { id: unknown; field: string } | undefined {
  if (!isFilter(group) || !('_id' in group)) return undefined;
  const { _id: id, ...accumulators } = group;
  const fields = Object.entries(accumulators);
  const constant = id === null || typeof id === 'number' || (typeof id === 'string' && !id.startsWith('$'));
  if (!constant || fields.length !== 1) return undefined;
  const [field, accumulator] = fields[0]!;
  const sum = isFilter(accumulator) && Object.keys(accumulator).length === 1 ? accumulator.$sum : undefined;
  return sum === 1 ? { id, field } : undefined;
}

function isFilter(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
