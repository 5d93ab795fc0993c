import type { ActionContext, ActionRequest } from 'adminjs';

/**
 * Fills a typed form field that is not stored as typed (the referrer, the birthday) when the edit
 * form opens (a GET), from the stored record, so saving the form unchanged keeps the value.
 */
export function withFieldOnEditForm<R extends { record?: { params?: Record<string, unknown> } }>(
  field: string,
  read: (recordId: string) => Promise<string>,
  handler: (request: ActionRequest, response: unknown, context: ActionContext) => Promise<R>,
) {
  return async (request: ActionRequest, response: unknown, context: ActionContext): Promise<R> => {
    const result = await handler(request, response, context);
    if (request.method === 'post' || !context.record || !result.record?.params) return result;
    result.record.params[field] = await read(String(context.record.id()));
    return result;
  };
}
