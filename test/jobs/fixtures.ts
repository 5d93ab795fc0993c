import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Stage } from '../../models/stage.js';
import type { ChatChannel } from '../../models/channels.js';

let seq = 0;

export async function stageId(code: string): Promise<Types.ObjectId> {
  const stage = await Stage.findOne({ code }).select('_id').lean();
  if (!stage) throw new Error(`no stage ${code}`);
  return stage._id;
}

/** A customer straight in the database, with a chat account on the given channels. */
export async function makeCustomer(fields: Record<string, unknown> & { channels?: ChatChannel[]; stageCode?: string } = {}) {
  seq += 1;
  const { channels = ['telegram'], stageCode = 'moi', ...rest } = fields;
  const chatIds = Object.fromEntries(channels.map((c) => [c, `${c}-${seq}-${Math.random().toString(36).slice(2, 8)}`]));
  const doc = await Customer.create({
    code: `KH${String(seq).padStart(6, '0')}${Math.random().toString(36).slice(2, 5)}`,
    name: `Khách ${seq}`,
    stage: await stageId(stageCode),
    chatIds,
    ...rest,
  });
  return doc.toObject() as unknown as { _id: Types.ObjectId; name: string; code: string; chatIds: Record<string, string> };
}

/** Many customers at once (campaign tests): one insertMany instead of one round trip each. */
export async function makeCustomers(n: number, fields: Record<string, unknown> = {}) {
  const stage = await stageId('moi');
  const base = ++seq;
  const docs = Array.from({ length: n }, (_, i) => ({
    code: `KB${base}-${i}`,
    name: `Khách ${i}`,
    stage,
    chatIds: { telegram: String(1_000_000 + base * 10_000 + i) },
    searchText: '',
    ...fields,
  }));
  const inserted = await Customer.insertMany(docs, { lean: true });
  return inserted as unknown as { _id: Types.ObjectId; name: string; code: string; chatIds: Record<string, string> }[];
}
