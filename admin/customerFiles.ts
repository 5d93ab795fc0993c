import express, { type Request, type Response, type Router } from 'express';
import { listAttachments, openAttachment } from '../crm/attachments/attachments.js';
import { listCheckIns } from '../crm/attachments/checkIns.js';
import { isCrmError } from '../crm/shared/errors.js';
import type { Logger } from '../app/logger.js';
import { sessionActor } from './access.js';

/** The mount point, under the panel so the panel's session, CSP and nosniff apply. */
export const CUSTOMER_FILES_PATH = '/admin/customer-files';

/** `filename*` in UTF-8 (Vietnamese names), plus an ASCII fallback for old clients. */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\;]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The customer page's files and check-ins, read-only (GET only: nothing here changes anything).
 * - `GET /admin/customer-files/of/:customerId`: the customer's attachments and check-ins, as JSON.
 * - `GET /admin/customer-files/:attachmentId`: one file's bytes.
 * Both check, as the logged-in person, that they may see the customer: a salesperson only their
 * own customers, managers and admins all. Another's file answers 404 like an unknown id, so file
 * ids reveal nothing. Bytes go out as the type they were sniffed to be when stored; images inline
 * (the page's thumbnails), everything else as a download, never rendered by the browser.
 */
export function customerFilesRouter(logger: Logger): Router {
  const router = express.Router();
  const who = (req: Request, res: Response) => {
    const actor = sessionActor(req);
    if (actor) return actor;
    res.status(401).type('text/plain').send('Unauthorized');
    return undefined;
  };
  const refuse = (res: Response, err: unknown) => {
    if (isCrmError(err, 'forbidden') || (isCrmError(err) && err.code.startsWith('notFound'))) return res.status(404).type('text/plain').send('Not found');
    logger.error({ err }, 'customer files request failed');
    return res.status(500).type('text/plain').send('Error');
  };

  router.get('/of/:customerId', async (req, res) => {
    const actor = who(req, res);
    if (!actor) return;
    try {
      const [attachments, checkIns] = await Promise.all([listAttachments(actor, req.params.customerId), listCheckIns(actor, req.params.customerId)]);
      res.set('Cache-Control', 'no-store').json({ attachments, checkIns });
    } catch (err) {
      refuse(res, err);
    }
  });

  router.get('/:attachmentId', async (req, res) => {
    const actor = who(req, res);
    if (!actor) return;
    let file;
    try {
      file = await openAttachment(actor, req.params.attachmentId);
    } catch (err) {
      return refuse(res, err);
    }
    res.set({
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Content-Disposition': contentDisposition(file.kind === 'photo' ? 'inline' : 'attachment', file.name),
      'X-Content-Type-Options': 'nosniff',
      // Whatever a file is, it runs nothing if opened on its own.
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; sandbox",
      // Access can be withdrawn (a customer reassigned): the browser asks again every time.
      'Cache-Control': 'private, no-cache',
    });
    file.stream.on('error', (err) => {
      logger.error({ err }, 'attachment read failed');
      res.destroy(err);
    });
    file.stream.pipe(res);
  });
  return router;
}
