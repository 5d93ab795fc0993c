import type { Model } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Stage } from '../../models/stage.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { User } from '../../models/user.js';
import { Campaign } from '../../models/campaign.js';
import { Organization } from '../../models/organization.js';
import { Opportunity } from '../../models/opportunity.js';
import type { AuditSubject } from '../../models/auditLog.js';

/** What an audit line says, in parts a reader's language puts into a sentence. */
export interface AuditStory {
  who: string;
  action: string;
  subject: AuditSubject;
  /** How the record is known to people: "KH000012 · Nguyễn Văn A", a stage's name, an email. */
  record?: string;
  /** Names of the changed fields (property keys, translated by the panel). */
  fields?: string[];
  count?: number;
  /** The owner, stage or group a bulk action moved customers to. */
  target?: string;
  /** A CSV import's totals. */
  totals?: { created?: number; merged?: number; refused?: number };
}

export interface AuditLine {
  userName?: string | null;
  action: string;
  subject: AuditSubject;
  recordId?: unknown;
  details?: string | null;
}

type Named = { _id: unknown; name?: string; code?: string; email?: string };

const LABEL_SOURCES: Partial<Record<AuditSubject, { model: Model<any>; label: (d: Named) => string }>> = {
  customer: { model: Customer, label: (d) => [d.code, d.name].filter(Boolean).join(' · ') },
  stage: { model: Stage, label: (d) => d.name ?? '' },
  source: { model: Source, label: (d) => d.name ?? '' },
  group: { model: Group, label: (d) => d.name ?? '' },
  user: { model: User, label: (d) => d.name ?? d.email ?? '' },
  campaign: { model: Campaign, label: (d) => d.name ?? '' },
  organization: { model: Organization, label: (d) => [d.code, d.name].filter(Boolean).join(' · ') },
  opportunity: { model: Opportunity, label: (d) => [d.code, d.name].filter(Boolean).join(' · ') },
};

const FIELD_LIST = /^[A-Za-z][\w.]*(, [A-Za-z][\w.]*)*$/;
const BULK = /^(\d+) → (.+)$/;

/**
 * Turns stored audit lines into stories: the record named as people know it (looked up in one query
 * per kind of record, the lines of a page at a time), the details read back into fields, counts and
 * targets. A record deleted since keeps what the line itself said about it.
 */
export async function auditStories(lines: AuditLine[]): Promise<AuditStory[]> {
  const labels = await recordLabels(lines);
  const stageNames = await namesOf(Stage, lines.filter((l) => l.action === 'bulkChangeStage').map((l) => BULK.exec(l.details ?? '')?.[2]));
  return lines.map((line) => {
    const story: AuditStory = { who: line.userName || 'system', action: line.action, subject: line.subject };
    const details = line.details ?? '';
    const record = line.recordId ? labels.get(`${line.subject}:${String(line.recordId)}`) : undefined;
    if (record) story.record = record;
    const bulk = line.action.startsWith('bulk') ? BULK.exec(details) : null;
    if (bulk) {
      story.count = Number(bulk[1]);
      story.target = stageNames.get(bulk[2]) ?? bulk[2];
    } else if (line.action === 'reorder') {
      story.count = Number.parseInt(details, 10) || undefined;
    } else if (line.subject === 'import') {
      story.totals = parseTotals(details);
    } else if (line.action === 'edit' && FIELD_LIST.test(details)) {
      story.fields = details.split(', ');
    } else if (details && !story.record) {
      story.record = details;
    }
    return story;
  });
}

function parseTotals(details: string): AuditStory['totals'] {
  try {
    const parsed = JSON.parse(details) as Record<string, unknown>;
    const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
    return { created: n(parsed.created), merged: n(parsed.merged), refused: n(parsed.refused) };
  } catch {
    return {};
  }
}

async function recordLabels(lines: AuditLine[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [subject, source] of Object.entries(LABEL_SOURCES)) {
    const ids = lines.filter((l) => l.subject === subject && l.recordId && /^[0-9a-f]{24}$/i.test(String(l.recordId))).map((l) => String(l.recordId));
    if (!ids.length || !source) continue;
    const docs = (await source.model.find({ _id: { $in: [...new Set(ids)] } }).select('name code email').lean()) as Named[];
    for (const d of docs) out.set(`${subject}:${String(d._id)}`, source.label(d));
  }
  return out;
}

async function namesOf(model: Model<any>, ids: (string | undefined)[]): Promise<Map<string, string>> {
  const valid = [...new Set(ids.filter((id): id is string => Boolean(id && /^[0-9a-f]{24}$/i.test(id))))];
  if (!valid.length) return new Map();
  const docs = (await model.find({ _id: { $in: valid } }).select('name').lean()) as Named[];
  return new Map(docs.map((d) => [String(d._id), d.name ?? '']));
}
