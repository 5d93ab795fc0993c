import { CareTemplate, CARE_KINDS, type CareKind } from '../../models/careTemplate.js';
import { createCareTemplate, deleteCareTemplate, updateCareTemplate } from '../../crm/care/templates.js';
import { isManagerOrAdmin } from '../access.js';
import { bool, optional } from '../respond.js';
import { editableThrough } from './catalog.js';

function whole(value: unknown): number | null | undefined {
  const text = optional(value);
  if (text === undefined) return value === '' ? null : undefined;
  // A typed "9h" or "3.5" is refused by the crm as invalid rather than silently read as 9 or 3.
  return /^\d{1,4}$/.test(text.trim()) ? Number(text) : NaN;
}

/**
 * Care templates (Tin chăm sóc): birthday greetings and "N days after won" check-ins, written by
 * admins and managers, saved through crm/care; a salesperson has no access to them by any route.
 */
export function careTemplateResource() {
  const input = (p: Record<string, any>) => ({
    name: optional(p.name),
    kind: CARE_KINDS.includes(p.kind) ? (p.kind as CareKind) : optional(p.kind),
    days: whole(p.days),
    text: optional(p.text),
    hour: whole(p.hour),
    active: bool(p.active),
  });
  const managersOnly = { isAccessible: isManagerOrAdmin };
  return {
    resource: CareTemplate,
    options: {
      navigation: { name: 'marketing', icon: 'Gift' },
      listProperties: ['name', 'kind', 'days', 'hour', 'active'],
      showProperties: ['name', 'kind', 'days', 'hour', 'text', 'active', 'updatedAt'],
      editProperties: ['name', 'kind', 'days', 'hour', 'text', 'active'],
      properties: {
        text: { type: 'textarea', description: 'careTextHelp' },
        days: { description: 'careDaysHelp' },
        hour: { description: 'careHourHelp' },
      },
      actions: {
        list: managersOnly,
        show: managersOnly,
        search: managersOnly,
        bulkDelete: { isAccessible: false, isVisible: false },
        ...editableThrough(input, {
          // The new form shows "Đang bật" unticked and sends nothing for it: saved as the admin sees it, off.
          create: (actor, p) => createCareTemplate(actor, { ...p, active: p.active ?? false }),
          update: updateCareTemplate,
          remove: deleteCareTemplate,
        }),
      },
    },
  };
}
