/**
 * Which Discord shards this process runs, read from the environment the sharding manager
 * sets. Kept apart from shards.ts (and free of discord.js) so that start-up can ask "am I a
 * shard?" without loading discord.js: the terminal chat never loads it.
 */

/** The shards one process runs: their ids, and how many shards there are in all. */
export interface ShardAssignment {
  ids: number[];
  count: number;
}

/**
 * The shards this process runs when a `ShardingManager` forked it (the manager sets
 * `SHARDING_MANAGER`, `SHARDS` and `SHARD_COUNT`); undefined in any other process.
 */
export function shardOfProcess(env: NodeJS.ProcessEnv = process.env): ShardAssignment | undefined {
  if (env.SHARDING_MANAGER !== 'true' || !env.SHARDS || !env.SHARD_COUNT) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.SHARDS);
  } catch {
    return undefined;
  }
  const ids = Array.isArray(parsed) ? parsed : [parsed];
  const count = Number(env.SHARD_COUNT);
  const valid = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < count;
  return ids.length > 0 && ids.every(valid) ? { ids: ids as number[], count } : undefined;
}
