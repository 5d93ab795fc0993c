import type { Request, Response } from 'express';
import { getQuotePdf } from '../crm/quotes/quotes.js';
import { isCrmError } from '../crm/shared/errors.js';
import { sessionActor } from './access.js';

/**
 * GET /admin/quotes/:id/pdf: a quote's PDF for staff who may see its customer (crm/quotes checks).
 * A read, so no origin check; anyone else gets the same 404 as a quote that does not exist.
 */
export function quotePdfRoute() {
  return async (req: Request, res: Response) => {
    const actor = sessionActor(req);
    if (!actor) {
      res.status(401).send('Unauthorized');
      return;
    }
    try {
      const { pdf, filename } = await getQuotePdf(actor, String(req.params.id));
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(pdf);
    } catch (e) {
      if (!isCrmError(e)) throw e;
      res.status(404).send('Not found');
    }
  };
}
