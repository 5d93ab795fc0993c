import type { ActionContext, ActionRequest } from 'adminjs';
import { companyLogoDataUrl, setCompanyLogo } from '../../crm/settings/companyLogo.js';
import { actorOf, isAdmin } from '../access.js';
import { crmNotice, payloadOf } from '../respond.js';
import { Components } from '../components/index.js';

/**
 * The company logo printed on quotes, from the settings page: the browser reads the chosen file
 * and posts it as base64 in JSON; crm/settings/companyLogo.ts checks it is a small PNG or JPEG by
 * its bytes. An empty value removes the logo. Admins only, like the rest of the settings.
 */
export function companyLogoAction() {
  return {
    actionType: 'record' as const,
    icon: 'Image',
    isAccessible: isAdmin,
    component: Components.CompanyLogoForm,
    handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
      const record = context.record!.toJSON(context.currentAdmin);
      const actor = actorOf(context);
      if (request.method !== 'post') return { record, logo: await companyLogoDataUrl(actor) };
      const base64 = String(payloadOf(request).logo ?? '').replace(/^data:[^,]*,/, '');
      try {
        await setCompanyLogo(actor, base64 ? Buffer.from(base64, 'base64') : null);
        return { record, logo: await companyLogoDataUrl(actor), notice: { message: base64 ? 'companyLogoSaved' : 'companyLogoRemoved', type: 'success' as const } };
      } catch (e) {
        return { record, logo: await companyLogoDataUrl(actor), notice: crmNotice(e) };
      }
    },
  };
}
