import type { Model } from 'mongoose';

const NONE = { isAccessible: false, isVisible: false };

/**
 * AdminJS refuses to show a record whose reference points at a model it does not know. A model
 * that another part of the panel may not (yet) show as a resource, such as Organization for the
 * opportunities, is registered here with no page and no action at all: references resolve, and
 * nothing about it can be read or changed through the panel's generic API.
 */
export function referenceOnlyResources(resources: { resource: unknown }[], models: Model<any>[]) {
  const registered = new Set(resources.map((r) => r.resource));
  return models
    .filter((m) => !registered.has(m))
    .map((model) => ({
      resource: model,
      options: {
        navigation: false,
        actions: { list: NONE, show: NONE, search: NONE, new: NONE, edit: NONE, delete: NONE, bulkDelete: NONE },
      },
    }));
}
