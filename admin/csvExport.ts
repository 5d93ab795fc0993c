import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify';
import type { BaseResource } from 'adminjs';
import { Customer } from '../models/customer.js';
import { Stage } from '../models/stage.js';
import { Source } from '../models/source.js';
import { Group } from '../models/group.js';
import { User } from '../models/user.js';
import { buildSearchFilter } from '../crm/customers/customers.js';
import { formatPhone } from '../crm/customers/phone.js';
import { customerScope } from '../crm/users/actor.js';
import { filterFromQuery } from './listQuery.js';
import { sessionActor } from './access.js';
import { flat } from 'adminjs';
import { DateTime } from 'luxon';
import { getSettings } from '../crm/settings/settings.js';

/**
 * A spreadsheet program runs a cell that starts with = + - @ (or a tab/CR) as a formula, so a
 * customer named "=HYPERLINK(...)" could attack whoever opens the export: such cells get a
 * leading apostrophe, which spreadsheets show as plain text.
 */
export function neutralizeCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Dates as the team writes them, in the company's time zone: `02/12/2026 09:30`. Tolerant of a
 * value read back as a string (the embedded database's snapshots).
 */
export function localDate(value: unknown, timezone: string): string {
  if (!value) return '';
  const d = DateTime.fromJSDate(new Date(value as string), { zone: timezone });
  return d.isValid ? d.toFormat('dd/MM/yyyy HH:mm') : '';
}

async function namesById(model: typeof Stage | typeof Source | typeof Group | typeof User) {
  const docs = await (model as typeof Stage).find().select('name').lean();
  return new Map(docs.map((d) => [String(d._id), d.name]));
}

/** GET /admin/export/customers.csv?filters.stage=…: the customer list as filtered on screen, within the person's scope. */
export function customerExportRoute(resource: () => BaseResource) {
  return async (req: Request, res: Response) => {
    const actor = sessionActor(req);
    if (!actor) {
      res.status(401).send('Unauthorized');
      return;
    }
    const { filters = {} } = flat.unflatten(req.query as Record<string, string>) as { filters?: Record<string, unknown> };
    const filter = {
      ...filterFromQuery(resource(), filters, { searchText: (value) => buildSearchFilter(value) }),
      ...customerScope(actor),
      deletedAt: null,
    };
    const [stages, sources, groups, users, { timezone }] = await Promise.all([namesById(Stage), namesById(Source), namesById(Group), namesById(User), getSettings()]);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="khach-hang-${new Date().toISOString().slice(0, 10)}.csv"`);
    // The BOM makes Excel read the file as UTF-8 (Vietnamese names intact).
    res.write('\ufeff');
    const csv = stringify({ header: true, columns: ['Mã KH', 'Họ tên', 'Số điện thoại', 'Email', 'Giai đoạn', 'Nguồn', 'Nhóm', 'Người phụ trách', 'Nhu cầu', 'Ghi chú', 'Liên hệ lần cuối', 'Ngày tạo'] });
    csv.pipe(res);
    const cursor = Customer.find(filter).sort({ createdAt: -1 }).lean().cursor({ batchSize: 1000 });
    // The header is already sent: a failure half-way can only cut the file short, so the
    // connection is closed rather than letting a truncated file look complete.
    try {
      await writeRows();
    } catch (err) {
      res.destroy(err as Error);
      return;
    }
    csv.end();

    async function writeRows() {
    for await (const c of cursor) {
      const row = [
        c.code,
        c.name,
        (c.phones ?? []).map(formatPhone).join(', '),
        c.email,
        stages.get(String(c.stage)),
        sources.get(String(c.source)),
        (c.groups ?? []).map((g) => groups.get(String(g))).filter(Boolean).join('; '),
        users.get(String(c.owner)),
        c.need,
        c.notes,
        localDate(c.lastContactAt, timezone),
        localDate(c.createdAt, timezone),
      ].map(neutralizeCell);
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
    }
    }
  };
}
