import { flat, ForbiddenError, type ActionContext, type ActionRequest, type RecordActionResponse } from 'adminjs';
import { isCrmError } from '../crm/shared/errors.js';
import { actorOf } from './access.js';

/**
 * How service refusals reach the panel: as a notice whose message is a translation key
 * (`crmError_phone_taken`), translated in the browser into the language the person chose, with
 * the error's values (the existing customer's code, the count in use) filled in.
 */
export function noticeKey(code: string): string {
  return `crmError_${code.replace(/\./g, '_')}`;
}

export function crmNotice(e: unknown) {
  if (!isCrmError(e)) throw e;
  return { message: noticeKey(e.code), type: 'error' as const, options: { ...e.params } };
}

/** The form's values, unflattened (`phones.0`, `phones.1` → `phones: [...]`). */
export function payloadOf(request: ActionRequest): Record<string, any> {
  return (flat.unflatten(request.payload ?? {}) ?? {}) as Record<string, any>;
}

/** `''` from an emptied select or input means "none". */
export function optional(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

export function bool(value: unknown): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return value === true || value === 'true';
}

export function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => v !== '' && v != null).map(String);
  if (typeof value === 'string' && value) return [value];
  return [];
}

type Save = (request: ActionRequest, context: ActionContext) => Promise<{ id: string }>;

/**
 * A new/edit handler that saves through a crm service. On GET it returns the record for the form;
 * on POST a refusal keeps the person on the form with the reason, and success opens the record.
 */
export function saveThrough(save: Save, successMessage: string) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<RecordActionResponse | Record<string, unknown>> => {
    const { record, resource, currentAdmin, h } = context;
    if (request.method !== 'post') return { record: record?.toJSON(currentAdmin) ?? {} };
    try {
      const { id } = await save(request, context);
      const saved = await resource.findOne(id);
      return {
        record: saved?.toJSON(currentAdmin) ?? {},
        redirectUrl: h.recordActionUrl({ resourceId: resource._decorated?.id() ?? resource.id(), recordId: id, actionName: 'show' }),
        notice: { message: successMessage, type: 'success' },
      };
    } catch (e) {
      const notice = crmNotice(e);
      const params = record?.params ?? {};
      return { record: { params: { ...params, ...(request.payload ?? {}) }, errors: {}, populated: {}, baseError: null, id: record?.id() ?? '' }, notice };
    }
  };
}

/**
 * A delete handler that goes through a crm service (soft deletes, "in use" refusals). Like
 * AdminJS's own, it deletes on POST only: a GET (a link, an image on another site) just reads.
 */
export function deleteThrough(remove: (id: string, context: ActionContext) => Promise<void>) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext) => {
    const { record, resource, currentAdmin, h } = context;
    if (request.method !== 'post') return { record: record!.toJSON(currentAdmin) };
    try {
      await remove(String(record!.id()), context);
      return {
        record: record!.toJSON(currentAdmin),
        redirectUrl: h.resourceUrl({ resourceId: resource._decorated?.id() ?? resource.id() }),
        notice: { message: 'successfullyDeleted', type: 'success' },
      };
    } catch (e) {
      return { record: record!.toJSON(currentAdmin), notice: crmNotice(e) };
    }
  };
}

/**
 * A record action's handler that runs a crm call on POST and opens the record again with the
 * success notice; a GET only reads the record (with `title` for a form's heading, when given), and
 * a refusal stays on it with the reason.
 */
export function postThenShow(
  run: (context: ActionContext, payload: Record<string, any>) => Promise<{ message: string; options?: Record<string, string> }>,
  title?: (context: ActionContext) => string | Promise<string>,
) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext) => {
    const { record, currentAdmin, h, resource } = context;
    const shown = async () => ({ ...record!.toJSON(currentAdmin), ...(title ? { title: await title(context) } : {}) });
    if (request.method !== 'post') return { record: await shown() };
    try {
      const notice = await run(context, payloadOf(request));
      const fresh = await resource.findOne(String(record!.id()));
      return {
        record: fresh!.toJSON(currentAdmin),
        redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: String(record!.id()), actionName: 'show' }),
        notice: { ...notice, type: 'success' as const },
      };
    } catch (e) {
      return { record: await shown(), notice: crmNotice(e) };
    }
  };
}

/**
 * A `before` hook for record actions whose rule needs a query (the record's customer, an
 * organization's contacts), which AdminJS's synchronous `isAccessible` cannot make: `load` is the
 * crm read that refuses; a refusal is answered as AdminJS answers one (a "forbiddenError" notice).
 */
export function onlyVisibleThrough(load: (actor: ReturnType<typeof actorOf>, id: unknown) => Promise<unknown>) {
  return async (request: ActionRequest, context: ActionContext): Promise<ActionRequest> => {
    try {
      await load(actorOf(context), context.record?.id());
    } catch (e) {
      if (isCrmError(e)) throw new ForbiddenError('forbiddenError');
      throw e;
    }
    return request;
  };
}
