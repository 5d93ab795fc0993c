import { parse } from 'csv-parse/sync';
import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { User } from '../../models/user.js';
import { CrmError } from '../shared/errors.js';
import { assertRole, actorUserId, type Actor } from '../users/actor.js';
import { tryNormalizePhone } from '../customers/phone.js';
import { cleanName } from '../customers/customers.js';
import { isDuplicateKey } from '../shared/errors.js';
import { customerSearchText, foldVietnamese } from '../customers/searchText.js';
import { reserveCustomerCodes } from '../customers/customerCodes.js';
import { getDefaultStage } from '../stages/stages.js';
import { recordAudit } from '../audit/audit.js';
import { getSettings } from '../settings/settings.js';
import { needsToAppend, type NeedEntry } from '../customers/needs.js';
import { customerCodeOf, type ReferrerRef } from '../customers/referrer.js';
import { DateTime } from 'luxon';
import { finishImportRun, openImportRun, unfinishedImportOf, type UnfinishedImport } from './importRuns.js';
import { applyImportCompanies, planImportCompanies, type ImportCompanyPlan } from '../organizations/importCompanies.js';
import { tryNormalizeTaxCode } from '../organizations/taxCode.js';
import { rollCustomers } from '../rollups/record.js';
import { byPhone as phoneFilter, livingByPhone } from '../customers/phoneFilter.js';

/**
 * Customer CSV import in two steps: `previewImport` says, row by row, what would happen (create,
 * merge into the customer with the same phone, or refuse and why) without writing anything;
 * `commitImport` plans again from the same file (the data may have changed since the preview)
 * and writes in batches, so ten thousand rows are a few dozen round trips, not tens of thousands.
 * Each commit is an import run (`importRuns.ts`): one cut short is finished by committing the same
 * file again, and the preview of that file says it is unfinished.
 */

export const MAX_IMPORT_ROWS = 20_000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

type Column = 'name' | 'phone' | 'email' | 'need' | 'notes' | 'source' | 'groups' | 'owner' | 'referrer' | 'company' | 'taxCode';

/** Header spellings accepted, folded (no diacritics, lower case): Vietnamese first, then English. */
const HEADERS: Record<string, Column> = {
  'ho ten': 'name', 'ho va ten': 'name', ten: 'name', 'ten khach hang': 'name', 'khach hang': 'name', name: 'name', 'full name': 'name',
  'so dien thoai': 'phone', 'dien thoai': 'phone', sdt: 'phone', 'so dt': 'phone', phone: 'phone', 'phone number': 'phone', mobile: 'phone',
  email: 'email', 'e-mail': 'email', 'thu dien tu': 'email',
  'nhu cau': 'need', need: 'need',
  'ghi chu': 'notes', notes: 'notes', note: 'notes',
  nguon: 'source', source: 'source',
  nhom: 'groups', group: 'groups', groups: 'groups',
  'nguoi phu trach': 'owner', 'phu trach': 'owner', 'nhan vien': 'owner', owner: 'owner',
  'nguoi gioi thieu': 'referrer', 'gioi thieu': 'referrer', referrer: 'referrer', 'referred by': 'referrer',
  'cong ty': 'company', 'ten cong ty': 'company', 'to chuc': 'company', company: 'company', organization: 'company',
  mst: 'taxCode', 'ma so thue': 'taxCode', 'tax code': 'taxCode',
};

export type ImportAction = 'create' | 'merge' | 'refuse';
export type RefuseReason =
  | 'empty'
  | 'nameRequired'
  | 'phoneInvalid'
  | 'duplicateInFile'
  | 'unknownSource'
  | 'unknownGroup'
  | 'unknownOwner'
  | 'unknownReferrer'
  | 'selfReferrer'
  | 'taxCodeInvalid';

export interface ImportRowPlan {
  /** The line in the file (header is line 1). */
  line: number;
  action: ImportAction;
  name: string;
  phone?: string;
  reason?: RefuseReason;
  /** For `merge`: the existing customer's code; for `duplicateInFile`: the first line. */
  existingCode?: string;
  duplicateOf?: number;
  /** B2B: the row's `Công ty`/`MST`: linked to an organization on record, or one to create. */
  organization?: ImportCompanyPlan;
}

export interface ImportPreview {
  rows: ImportRowPlan[];
  counts: Record<ImportAction, number>;
  /** Columns recognised, for the person to check their headers were understood. */
  columns: Column[];
  /** A commit of this same file that did not finish: committing again completes it. */
  unfinished?: UnfinishedImport;
}

interface ParsedRow {
  line: number;
  values: Partial<Record<Column, string>>;
}

interface PlannedWrite {
  row: ImportRowPlan;
  values: Partial<Record<Column, string>>;
  source?: Types.ObjectId;
  groups: Types.ObjectId[];
  owner?: Types.ObjectId;
  referrer?: ReferrerRef;
  existing?: ExistingCustomer;
}

interface ExistingCustomer {
  _id: Types.ObjectId;
  code: string;
  name: string;
  phones: string[];
  email?: string | null;
  need?: string | null;
  needs?: NeedEntry[] | null;
  notes?: string | null;
  source?: Types.ObjectId | null;
  groups: Types.ObjectId[];
  referrer?: ReferrerRef | null;
  createdAt?: Date;
  /** Read for the dashboard rollups, which count customers by stage, owner and source. */
  stage?: Types.ObjectId | null;
  owner?: Types.ObjectId | null;
}

/** Parses the file: UTF-8 with or without BOM, comma or semicolon separated (Excel in Vietnam uses both). */
export function parseCustomerCsv(text: string): { rows: ParsedRow[]; columns: Column[] } {
  if (typeof text !== 'string' || !text.trim()) throw new CrmError('invalid', { field: 'csv' });
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) throw new CrmError('invalid', { field: 'csv' });
  const clean = text.replace(/^\ufeff/, '');
  const firstLine = clean.slice(0, clean.indexOf('\n') === -1 ? undefined : clean.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(clean, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch {
    throw new CrmError('invalid', { field: 'csv' });
  }
  const [header, ...body] = records;
  if (!header || body.length > MAX_IMPORT_ROWS) throw new CrmError('invalid', { field: 'csv' });
  const columns = header.map((h) => HEADERS[foldVietnamese(h).replace(/[*:]/g, '').trim()]);
  if (!columns.includes('name') && !columns.includes('phone')) throw new CrmError('invalid', { field: 'csv' });
  const rows = body.map((cells, i) => {
    const values: Partial<Record<Column, string>> = {};
    columns.forEach((col, c) => {
      if (col && cells[c]?.trim()) values[col] = cells[c].trim();
    });
    return { line: i + 2, values };
  });
  return { rows, columns: [...new Set(columns.filter(Boolean))] as Column[] };
}

async function lookupTables() {
  const [sources, groups, users] = await Promise.all([
    Source.find().select('name code').lean(),
    Group.find().select('name').lean(),
    User.find({ active: true }).select('name email').lean(),
  ]);
  const byKey = <T extends { _id: Types.ObjectId }>(docs: T[], keys: (d: T) => (string | undefined | null)[]) => {
    const map = new Map<string, Types.ObjectId>();
    for (const d of docs) for (const k of keys(d)) if (k) map.set(foldVietnamese(k), d._id);
    return map;
  };
  return {
    sources: byKey(sources, (s) => [s.name, s.code]),
    groups: byKey(groups, (g) => [g.name]),
    users: byKey(users, (u) => [u.name, u.email]),
  };
}

/** Existing (not deleted) customers holding any of these phones, in batches. */
async function existingByPhone(phones: string[]): Promise<Map<string, ExistingCustomer>> {
  const found = new Map<string, ExistingCustomer>();
  for (let i = 0; i < phones.length; i += 2000) {
    const docs = (await Customer.find(livingByPhone({ $in: phones.slice(i, i + 2000) }))
      .select('code name phones email need needs notes source groups referrer createdAt stage owner')
      .lean()) as unknown as ExistingCustomer[];
    for (const d of docs) for (const p of d.phones) found.set(p, d);
  }
  return found;
}

async function plan(actor: Actor, text: string): Promise<{ writes: PlannedWrite[]; preview: ImportPreview }> {
  assertRole(actor, 'admin', 'manager');
  const { rows, columns } = parseCustomerCsv(text);
  const tables = await lookupTables();
  const referrers = await referrerCustomers(rows.map((r) => r.values.referrer));
  const phones = rows.map((r) => (r.values.phone ? tryNormalizePhone(r.values.phone) : undefined));
  const existing = await existingByPhone([...new Set(phones.filter((p): p is string => Boolean(p)))]);
  const companies = await planImportCompanies(rows.map((r) => ({ company: r.values.company, taxCode: r.values.taxCode, email: r.values.email })));
  const firstLineOfPhone = new Map<string, number>();
  const writes: PlannedWrite[] = [];
  const counts: Record<ImportAction, number> = { create: 0, merge: 0, refuse: 0 };
  const planned: ImportRowPlan[] = [];

  rows.forEach((r, i) => {
    const name = cleanName(r.values.name);
    const phone = phones[i];
    const row: ImportRowPlan = { line: r.line, action: 'create', name, phone };
    const refuse = (reason: RefuseReason) => Object.assign(row, { action: 'refuse', reason });
    const source = r.values.source ? tables.sources.get(foldVietnamese(r.values.source)) : undefined;
    const groupNames = (r.values.groups ?? '').split(/[;,|]/).map((g) => g.trim()).filter(Boolean);
    const groups = groupNames.map((g) => tables.groups.get(foldVietnamese(g)));
    const owner = r.values.owner ? tables.users.get(foldVietnamese(r.values.owner)) : undefined;
    const referrer = r.values.referrer ? referrerOf(r.values.referrer, referrers, tables.users) : undefined;
    const target = phone ? existing.get(phone) : undefined;
    if (!name && !r.values.phone) refuse('empty');
    else if (r.values.phone && !phone) refuse('phoneInvalid');
    else if (phone && firstLineOfPhone.has(phone)) Object.assign(refuse('duplicateInFile'), { duplicateOf: firstLineOfPhone.get(phone) });
    else if (r.values.source && !source) refuse('unknownSource');
    else if (groups.some((g) => !g)) refuse('unknownGroup');
    else if (r.values.owner && !owner) refuse('unknownOwner');
    else if (r.values.referrer && !referrer) refuse('unknownReferrer');
    else if (referrer && isSelf(referrer, phone, target)) refuse('selfReferrer');
    else if (r.values.taxCode && !tryNormalizeTaxCode(r.values.taxCode)) refuse('taxCodeInvalid');
    else if (phone && existing.has(phone)) Object.assign(row, { action: 'merge', existingCode: existing.get(phone)!.code });
    else if (!name) refuse('nameRequired');
    if (phone && !firstLineOfPhone.has(phone)) firstLineOfPhone.set(phone, r.line);
    if (row.action !== 'refuse' && companies[i]) row.organization = companies[i];
    counts[row.action] += 1;
    planned.push(row);
    if (row.action !== 'refuse') {
      writes.push({ row, values: r.values, source, groups: groups as Types.ObjectId[], owner, referrer: referrer ? { kind: referrer.kind, id: referrer.id } : undefined, existing: target });
    }
  });
  return { writes, preview: { rows: planned, counts, columns } };
}

/** What the import would do; writes nothing. */
export async function previewImport(actor: Actor, text: string): Promise<ImportPreview> {
  const { preview } = await plan(actor, text);
  const unfinished = await unfinishedImportOf(text);
  return unfinished ? { ...preview, unfinished } : preview;
}

/** Counts for the whole run, across every commit it took. */
export interface ImportResult {
  created: number;
  merged: number;
  refused: number;
  /** Set when this commit finished a run an earlier commit of the same file left unfinished. */
  resumed?: true;
}

export interface CommitOptions {
  /** Rows per write round trip. */
  batchSize?: number;
  /** Called after each batch is written (tests use it to cut a commit short). */
  afterBatch?: (written: number) => void | Promise<void>;
}

/** Applies the import. Rows refused at preview time stay refused; the file is planned again first. */
export async function commitImport(actor: Actor, text: string, now = new Date(), options: CommitOptions = {}): Promise<ImportResult> {
  const { batchSize = 1000, afterBatch } = options;
  const { writes, preview } = await plan(actor, text);
  const run = await openImportRun(actor, text, preview.counts.create, now);
  // A line an earlier commit of this run wrote is done: its customer now plans as a merge (phone)
  // or again as a create (no phone); neither is written again, and it counts as created.
  const toWrite = writes.filter((w) => !run.writtenLines.has(w.row.line));
  const creates = toWrite.filter((w) => w.row.action === 'create');
  const merges = toWrite.filter((w) => w.row.action === 'merge');
  let refused = preview.counts.refuse;
  let created = run.writtenLines.size;
  let written = 0;

  if (creates.length) {
    const [stage, codes] = await Promise.all([getDefaultStage(), reserveCustomerCodes(creates.length)]);
    const docs = creates.map((w, i) => {
      const phones = w.row.phone ? [w.row.phone] : [];
      const email = w.values.email?.toLowerCase().slice(0, 200);
      return {
        code: codes[i],
        name: w.row.name,
        phones,
        email,
        need: w.values.need?.slice(0, 2000),
        notes: w.values.notes?.slice(0, 5000),
        stage: stage._id,
        owner: w.owner ?? actorUserId(actor),
        source: w.source,
        groups: w.groups,
        referrer: w.referrer,
        needs: w.values.need ? [{ text: w.values.need.slice(0, 2000), at: now, channel: 'import' }] : undefined,
        searchText: customerSearchText({ name: w.row.name, code: codes[i], email, phones }),
        importRun: run.runId,
        importLine: w.row.line,
        createdAt: now,
        updatedAt: now,
      };
    });
    for (let i = 0; i < docs.length; i += batchSize) {
      const batch = docs.slice(i, i + batchSize);
      try {
        const inserted = await Customer.insertMany(batch, { ordered: false, lean: true });
        created += inserted.length;
        await rollCustomers(batch.map((doc) => ({ before: null, after: doc })));
      } catch (e) {
        // A phone taken between planning and writing (real MongoDB enforces the unique index):
        // that row is refused, the others of the batch are kept.
        if (!isDuplicateKey(e) && !(e as { writeErrors?: unknown[] }).writeErrors) throw e;
        const failed = (e as { writeErrors?: unknown[] }).writeErrors?.length ?? 1;
        created += batch.length - failed;
        refused += failed;
        // Which lines made it is read back rather than worked out from the driver's error.
        const kept = await Customer.find({ importRun: run.runId, importLine: { $in: batch.map((d) => d.importLine) } }).select('stage owner source createdAt').lean();
        await rollCustomers(kept.map((doc) => ({ before: null, after: doc })));
      }
      written += batch.length;
      await afterBatch?.(written);
    }
  }

  if (merges.length) {
    const { timezone } = await getSettings();
    const ops = merges.map((w) => {
      const c = w.existing!;
      const $set: Record<string, unknown> = { updatedAt: now };
      const email = w.values.email?.toLowerCase().slice(0, 200);
      if (!c.email && email) $set.email = email;
      // A need or a note in the file never replaces what is on record: the need joins the history,
      // the note is appended under the import's date.
      const newNeeds = needsToAppend(c, w.values.need, 'import', now);
      if (newNeeds.length) $set.need = newNeeds[newNeeds.length - 1].text;
      const notes = appendedNotes(c.notes, w.values.notes, now, timezone);
      if (notes !== undefined) $set.notes = notes;
      if (!c.source && w.source) $set.source = w.source;
      if (!c.referrer && w.referrer) $set.referrer = w.referrer;
      $set.searchText = customerSearchText({ name: c.name, code: c.code, email: (($set.email as string) ?? c.email) || undefined, phones: c.phones });
      const update: Record<string, unknown> = { $set };
      if (w.groups.length) update.$addToSet = { groups: { $each: w.groups } };
      if (newNeeds.length) update.$push = { needs: { $each: newNeeds } };
      return { updateOne: { filter: { _id: c._id, deletedAt: null }, update } };
    });
    // Merges fill empty fields, add groups, and append a need or a note not already there: one
    // applied again after a resume adds nothing new.
    for (let i = 0; i < ops.length; i += batchSize) {
      const batch = ops.slice(i, i + batchSize);
      await Customer.bulkWrite(batch as never, { ordered: false });
      // A source or referrer filled in moves the customer in the dashboard rollups (a resume finds it set: no second move).
      const filled = merges.slice(i, i + batchSize).filter((w) => (!w.existing!.source && w.source) || (!w.existing!.referrer && w.referrer));
      await rollCustomers(
        filled.map((w) => {
          const c = w.existing!;
          return { before: c, after: { ...c, source: c.source || w.source, referrer: c.referrer || w.referrer } };
        }),
      );
      written += batch.length;
      await afterBatch?.(written);
    }
  }
  // Every row, not only those written now: a commit cut short before linking is linked on resume.
  await linkImportedCompanies(actor, run.runId, writes);
  const totals = { created, merged: merges.length, refused };
  await finishImportRun(run.runId, totals, now);
  const result: ImportResult = run.resumed ? { ...totals, resumed: true } : totals;
  await recordAudit(actor, { subject: 'import', action: 'commit', recordId: run.runId, details: JSON.stringify(result) }, now);
  return result;
}

/** The rows' customers (created by this run, or merged into) joined to their planned organizations. */
async function linkImportedCompanies(actor: Actor, runId: Types.ObjectId, writes: PlannedWrite[]): Promise<void> {
  const withCompany = writes.filter((w) => w.row.organization);
  if (!withCompany.length) return;
  const lines = withCompany.filter((w) => w.row.action === 'create').map((w) => w.row.line);
  const created = lines.length ? await Customer.find({ importRun: runId, importLine: { $in: lines } }).select('importLine').lean() : [];
  const idOfLine = new Map(created.map((c) => [c.importLine, c._id]));
  const rows = withCompany
    .map((w) => ({ customerId: w.row.action === 'merge' ? w.existing?._id : idOfLine.get(w.row.line), plan: w.row.organization! }))
    .filter((r): r is { customerId: Types.ObjectId; plan: ImportCompanyPlan } => Boolean(r.customerId));
  await applyImportCompanies(rows, actorUserId(actor));
}

/** Notes with the file's note appended under today's date, or undefined when there is nothing new. */
export function appendedNotes(current: string | null | undefined, added: string | undefined, now: Date, timezone: string): string | undefined {
  const note = added?.trim().slice(0, 5000);
  if (!note) return undefined;
  const before = current?.trim() ?? '';
  if (before.includes(note)) return undefined;
  const dated = `[${DateTime.fromJSDate(now, { zone: timezone }).toFormat('dd/MM/yyyy')}] ${note}`;
  // The oldest text gives way if the whole outgrows the field: the newest note always fits.
  return (before ? `${before}\n\n${dated}` : dated).slice(-NOTES_MAX);
}

const NOTES_MAX = 20_000;

interface ReferrerMatch extends ReferrerRef {
  phones: string[];
}

/** Customers a file names as referrers (by phone or KH code), in one query. */
async function referrerCustomers(values: (string | undefined)[]): Promise<{ byCode: Map<string, ReferrerMatch>; byPhone: Map<string, ReferrerMatch> }> {
  const codes = new Set<string>();
  const phones = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    const code = customerCodeOf(value);
    const phone = code ? undefined : tryNormalizePhone(value);
    if (code) codes.add(code);
    else if (phone) phones.add(phone);
  }
  const byCode = new Map<string, ReferrerMatch>();
  const byPhone = new Map<string, ReferrerMatch>();
  if (!codes.size && !phones.size) return { byCode, byPhone };
  const docs = await Customer.find({ $or: [{ code: { $in: [...codes] } }, phoneFilter({ $in: [...phones] })], deletedAt: null }).select('code phones').lean();
  for (const d of docs) {
    const match: ReferrerMatch = { kind: 'customer', id: d._id, phones: d.phones };
    byCode.set(d.code, match);
    for (const p of d.phones) byPhone.set(p, match);
  }
  return { byCode, byPhone };
}

/** A referrer cell: a customer's KH code or phone, else a staff member's name or email. */
function referrerOf(
  value: string,
  customers: { byCode: Map<string, ReferrerMatch>; byPhone: Map<string, ReferrerMatch> },
  users: Map<string, Types.ObjectId>,
): ReferrerMatch | undefined {
  const code = customerCodeOf(value);
  if (code) return customers.byCode.get(code);
  const phone = tryNormalizePhone(value);
  if (phone) return customers.byPhone.get(phone);
  const user = users.get(foldVietnamese(value));
  return user ? { kind: 'user', id: user, phones: [] } : undefined;
}

/** The row's own customer named as its referrer: by its phone, or as the customer it merges into. */
function isSelf(referrer: ReferrerMatch, phone: string | undefined, target: ExistingCustomer | undefined): boolean {
  if (referrer.kind !== 'customer') return false;
  return Boolean((phone && referrer.phones.includes(phone)) || (target && String(target._id) === String(referrer.id)));
}
