import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { BaseRecord, populator, flat, type ActionContext, type ActionRequest, type BaseResource } from 'adminjs';
import { escapeRegex } from '../crm/customers/searchText.js';
import { listSort } from './listSort.js';

/**
 * The panel's own list query. AdminJS's list filters cannot express what our lists need (a
 * salesperson only sees their own records, deleted customers stay hidden, search goes through the
 * folded `searchText`), so the list handler builds the MongoDB filter here, from the same query
 * string AdminJS sends, and adds the scope on the server where the browser cannot remove it.
 */

export type Scope = (context: ActionContext) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface ListSpec {
  model: Model<any>;
  /** Always added to the filter: the actor's scope, `deletedAt: null`. */
  scope?: Scope;
  /** Filters with their own meaning (`searchText` → the crm search filter). Return null to match nothing. */
  special?: Record<string, (value: string) => Record<string, unknown> | null>;
  defaultSort?: { sortBy: string; direction: 'asc' | 'desc' };
}

const PER_PAGE_MAX = 200;

function asDate(value: string): Date | undefined {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * AdminJS's range filters arrive as `filters.createdAt~~from` and `~~to` (its PARAM_SEPARATOR, which
 * unflattening by dots leaves in the key): gathered here into `createdAt: { from, to }`.
 */
function rangesGathered(filters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    const m = /^(.+)~~(from|to)$/.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const range = (typeof out[m[1]] === 'object' && out[m[1]] !== null ? out[m[1]] : {}) as Record<string, unknown>;
    out[m[1]] = { ...range, [m[2]]: value };
  }
  return out;
}

/** The MongoDB filter for AdminJS's `filters.*` query values, typed by the resource's properties. */
export function filterFromQuery(resource: BaseResource, filters: Record<string, unknown>, special: ListSpec['special'] = {}): Record<string, unknown> {
  const and: Record<string, unknown>[] = [];
  for (const [key, raw] of Object.entries(rangesGathered(filters))) {
    if (raw === undefined || raw === null || raw === '') continue;
    if (special[key]) {
      const f = special[key](String(raw));
      and.push(f ?? { _id: null });
      continue;
    }
    const property = resource.property(key);
    if (!property) continue;
    const type = property.type();
    if (typeof raw === 'object') {
      // Ranges: `filters.createdAt~~from` / `~~to`, unflattened into { from, to }.
      const { from, to } = raw as { from?: string; to?: string };
      const range: Record<string, unknown> = {};
      if (type === 'number') {
        if (from !== undefined && from !== '') range.$gte = Number(from);
        if (to !== undefined && to !== '') range.$lte = Number(to);
      } else {
        const f = from ? asDate(from) : undefined;
        const t = to ? asDate(to) : undefined;
        if (f) range.$gte = f;
        if (t) range.$lte = t.getUTCHours() === 0 && t.getUTCMinutes() === 0 ? new Date(t.getTime() + 86_399_999) : t;
      }
      if (Object.keys(range).length) and.push({ [key]: range });
      continue;
    }
    const value = String(raw);
    if (type === 'reference' || (type as string) === 'id' || key === '_id') {
      and.push({ [key]: Types.ObjectId.isValid(value) ? new Types.ObjectId(value) : null });
    } else if (type === 'boolean') {
      and.push({ [key]: value === 'true' });
    } else if (type === 'number') {
      and.push({ [key]: Number(value) });
    } else if (property.availableValues()) {
      and.push({ [key]: value });
    } else {
      and.push({ [key]: { $regex: escapeRegex(value.slice(0, 100)), $options: 'i' } });
    }
  }
  return and.length ? { $and: and } : {};
}

/** The full filter of a list request: what the person asked for, within what they may see. */
export async function listFilter(spec: ListSpec, request: ActionRequest, context: ActionContext): Promise<Record<string, unknown>> {
  const { filters = {} } = flat.unflatten(request.query ?? {}) as { filters?: Record<string, unknown> };
  const asked = filterFromQuery(context.resource, filters, spec.special);
  const scope = spec.scope ? await spec.scope(context) : {};
  return { ...asked, ...scope };
}

/** Lean documents turned into AdminJS records (ids and dates as strings, as the adapter does). */
export function toRecords(docs: unknown[], resource: BaseResource): BaseRecord[] {
  return docs.map((doc) => new BaseRecord(JSON.parse(JSON.stringify(doc)), resource));
}

export function scopedList(spec: ListSpec) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext) => {
    const query = (flat.unflatten(request.query ?? {}) ?? {}) as Record<string, string>;
    const perPage = Math.min(Math.max(Number(query.perPage) || 20, 1), PER_PAGE_MAX);
    const page = Math.max(Number(query.page) || 1, 1);
    const sortBy = query.sortBy && context.resource.property(query.sortBy) ? query.sortBy : spec.defaultSort?.sortBy ?? '_id';
    const direction = query.direction === 'asc' || query.direction === 'desc' ? query.direction : spec.defaultSort?.direction ?? 'desc';
    const filter = await listFilter(spec, request, context);
    const [docs, total] = await Promise.all([
      spec.model
        .find(filter)
        .sort(listSort(sortBy, direction))
        .skip((page - 1) * perPage)
        .limit(perPage)
        .lean(),
      spec.model.countDocuments(filter),
    ]);
    const records = await populator(toRecords(docs, context.resource), context);
    context.records = records;
    return {
      meta: { total, perPage, page, direction, sortBy },
      records: records.map((r) => r.toJSON(context.currentAdmin)),
    };
  };
}

/**
 * The reference pickers' search (AdminJS's `search` action), scoped like the list and typed the
 * way the list's search box is (`special.searchText`): the 20 most recently changed matches.
 */
export function scopedSearch(spec: ListSpec) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext) => {
    const query = String(request.params?.query ?? request.query?.q ?? '');
    const typed = spec.special?.searchText?.(query) ?? {};
    const filter = { ...typed, ...(spec.scope ? await spec.scope(context) : {}) };
    const docs = await spec.model.find(filter).sort({ updatedAt: -1 }).limit(20).lean();
    return { records: toRecords(docs, context.resource).map((r) => r.toJSON(context.currentAdmin)) };
  };
}
