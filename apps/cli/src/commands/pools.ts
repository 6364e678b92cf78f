// curio pools add|append|upload|list: pools of web data, made of img2dataset shards. `upload`
// sends shard tars into the team's own upload area (upload-shards.ts).
import type { Pool, PoolWithShards, Upload } from '@curio/contracts';
import type { Command } from 'commander';
import { collect, ok } from '../client.js';
import { apiFor, listOptions, location, resolveRef, type Api, type Io } from '../context.js';
import { ApiCallError } from '../errors.js';
import { count, printJson, printTable, when } from '../output.js';
import { shardFiles, uploadShard } from '../upload-shards.js';

export function poolsCommand(program: Command, io: Io): void {
  const pools = program.command('pools').description('pools of web data (img2dataset shards)');

  pools
    .command('add')
    .description(
      'create a pool from shard locations (files, folders of *.tar, globs, file://, http(s):// or s3:// URLs)',
    )
    .argument('<name>', 'pool name')
    .argument('<shards...>', 'shard locations; local paths are sent absolute')
    .option('--description <text>', 'what the pool holds')
    .option('--json', "print the API's answer as JSON")
    .action(
      async (
        name: string,
        shards: string[],
        opts: { description?: string; json?: boolean },
        cmd: Command,
      ) => {
        const { client } = await apiFor(cmd, io);
        const pool = await ok(
          'pools add',
          client.v1.pools.$post({
            json: {
              name,
              shards: shards.map(location),
              ...(opts.description !== undefined && { description: opts.description }),
            },
          }),
        );
        if (opts.json) return printJson(io.out, pool);
        io.out.log(`created pool ${pool.name} (${pool.id}): ${added(pool)}`);
      },
    );

  pools
    .command('append')
    .description('append shards to a pool, as new web data arrives')
    .argument('<pool>', 'pool id or name')
    .argument('<shards...>', 'shard locations')
    .option('--json', "print the API's answer as JSON")
    .action(async (ref: string, shards: string[], opts: { json?: boolean }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const id = await resolveRef(client, 'pool', ref);
      const pool = await ok(
        'pools append',
        client.v1.pools[':id'].shards.$post({
          param: { id },
          json: { shards: shards.map(location) },
        }),
      );
      if (opts.json) return printJson(io.out, pool);
      io.out.log(
        `appended to pool ${pool.name} (${pool.id}): ${added(pool)}; now ${pool.shardCount} shards, ${count(pool.sampleCount)} samples`,
      );
    });

  pools
    .command('upload')
    .description(
      "upload shard tars into the team's upload area (no grant needed); prints each location to name in a pool",
    )
    .argument('<paths...>', 'shard .tar files, or folders of them')
    .option('--pool <pool>', 'also add them to this pool (id or name; made when no pool has it)')
    .option('--json', "print the API's answers as JSON")
    .action(async (paths: string[], opts: { pool?: string; json?: boolean }, cmd: Command) => {
      const files = await shardFiles(paths);
      const api = await apiFor(cmd, io);
      const uploads: Upload[] = [];
      for (const file of files) uploads.push(await uploadShard(api, io, file));
      const locations = uploads.map((u) => u.location);
      const pool = opts.pool ? await addToPool(api, opts.pool, locations) : undefined;
      if (opts.json) return printJson(io.out, pool ? { uploads, pool } : uploads);
      for (const u of uploads)
        io.out.log(`uploaded ${u.name} (${count(u.bytes)} bytes): ${u.location}`);
      if (pool) io.out.log(`pool ${pool.name} (${pool.id}): ${added(pool)}`);
    });

  listOptions(pools.command('list').description('list pools')).action(
    async (opts: { json?: boolean; limit: number }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const items = await collect(opts.limit, (query) =>
        ok('pools list', client.v1.pools.$get({ query })),
      );
      if (opts.json) return printJson(io.out, items);
      printTable<Pool>(
        io.out,
        items,
        [
          { header: 'id', value: (p) => p.id },
          { header: 'name', value: (p) => p.name },
          { header: 'shards', value: (p) => String(p.shardCount), align: 'right' },
          { header: 'samples', value: (p) => count(p.sampleCount), align: 'right' },
          { header: 'created', value: (p) => when(p.createdAt) },
          { header: 'description', value: (p) => p.description ?? '' },
        ],
        'no pools yet (`curio pools add NAME SHARDS...` makes one)',
      );
    },
  );
}

/** Append the locations to the pool named `ref`, or make it when there is none. */
async function addToPool(api: Api, ref: string, shards: string[]): Promise<PoolWithShards> {
  const id = await resolveRef(api.client, 'pool', ref).catch((error: unknown) => {
    if (error instanceof ApiCallError) throw error;
    return undefined; // no pool of that name yet
  });
  if (id)
    return ok(
      'pools append',
      api.client.v1.pools[':id'].shards.$post({ param: { id }, json: { shards } }),
    );
  return ok('pools add', api.client.v1.pools.$post({ json: { name: ref, shards } }));
}

function added(pool: PoolWithShards): string {
  const samples = pool.added.reduce((n, s) => n + s.sampleCount, 0);
  return `${pool.added.length} shard(s) with ${count(samples)} samples`;
}
