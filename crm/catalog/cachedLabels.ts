import type { Types } from 'mongoose';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { VersionedCache } from '../shared/versionedCache.js';

type Named = { _id: Types.ObjectId; name: string };

/**
 * Sources and groups by id, kept in each process: a card shows their names on every opening, and
 * they are a few dozen rows an admin edits now and then. Any write of one bumps its cache version
 * (models/source.ts, models/group.ts), so every process sees a rename within a second.
 */
const sources = new VersionedCache<Named[]>('sources', async () => (await Source.find({}).select('name').lean()) as Named[]);
const groups = new VersionedCache<Named[]>('groups', async () => (await Group.find({}).select('name').lean()) as Named[]);

export async function sourceLabel(id: unknown): Promise<Named | null> {
  if (!id) return null;
  const found = (await sources.get()).find((s) => String(s._id) === String(id));
  return found ? { _id: found._id, name: found.name } : null;
}

/** The groups among `ids` that exist, in the order they were created (as a query by ids returns them). */
export async function groupLabels(ids: unknown[] | null | undefined): Promise<Named[]> {
  if (!ids?.length) return [];
  const wanted = new Set(ids.map(String));
  return (await groups.get()).filter((g) => wanted.has(String(g._id))).map((g) => ({ _id: g._id, name: g.name }));
}
