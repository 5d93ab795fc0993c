import type { Model, PipelineStage } from 'mongoose';

/** One find as it would be sent alone: its collection, filter, order and size. */
export interface FindSpec {
  model: Model<any>;
  filter: Record<string, unknown>;
  sort?: Record<string, 1 | -1>;
  limit?: number;
  /** Stages applied to this find's documents after its sort and limit (a `$lookup` of what they point to). */
  then?: PipelineStage[];
}

/** The field that tells, in the one answer, which find a document came from. */
const FROM = '__readTogetherFrom';

/**
 * Sends several finds as ONE database command: the first find's pipeline on its own collection,
 * each other one as a `$unionWith` of its filter, sort and limit, every document tagged with the
 * name of its find. A screen that needs six lists costs one round trip and one command instead of
 * six, which is what matters under load, when every command waits for a connection and a turn on
 * the server.
 *
 * Each find is asked exactly as alone (a `$unionWith` pipeline that starts with `$match` is planned
 * like a find on MongoDB 4.4+, from the same indexes; the embedded database serves it from its
 * in-memory indexes, app/embedded/queryIndexes.ts). The documents come back as `lean()` gives them.
 */
export async function readTogether<K extends string>(finds: Record<K, FindSpec>): Promise<Record<K, Record<string, any>[]>> {
  const names = Object.keys(finds) as K[];
  const result = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<K, Record<string, any>[]>;
  if (!names.length) return result;
  const stagesOf = (name: K): PipelineStage[] => {
    const f = finds[name];
    return [
      { $match: f.filter },
      ...(f.sort && Object.keys(f.sort).length ? [{ $sort: f.sort } as PipelineStage] : []),
      ...(f.limit ? [{ $limit: f.limit } as PipelineStage] : []),
      ...(f.then ?? []),
      { $addFields: { [FROM]: name } },
    ];
  };
  const [first, ...others] = names;
  const pipeline: PipelineStage[] = [
    ...stagesOf(first!),
    ...others.map((name) => ({ $unionWith: { coll: finds[name].model.collection.collectionName, pipeline: stagesOf(name) } }) as PipelineStage),
  ];
  const docs: Record<string, any>[] = await finds[first!].model.aggregate(pipeline);
  for (const doc of docs) {
    const from = doc[FROM] as K;
    delete doc[FROM];
    result[from]?.push(doc);
  }
  return result;
}
