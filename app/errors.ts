import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from './logger.js';

/**
 * The app's last error handler, after every feature's routes. An error no route answered becomes
 * its status and a one-word text: never a stack trace or a file path, whatever NODE_ENV says (the
 * README's `npm start` sets none, and Express shows stacks outside production). The error goes to
 * the log instead, through the logger and its redaction. A developer who wants the stack in the
 * answer sets DEV_DIAGNOSTICS=true, which hands the error to Express's own handler.
 */
export function lastErrorHandler(logger: Logger, showDetails: boolean): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (showDetails) return next(err);
    const claimed = Number((err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode);
    const status = Number.isInteger(claimed) && claimed >= 400 && claimed < 600 ? claimed : 500;
    if (status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    else logger.debug({ status, method: req.method, path: req.path, error: (err as Error)?.message }, 'request refused');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).type('text/plain; charset=utf-8').send(STATUS_CODES[status] ?? 'Error');
  };
}
