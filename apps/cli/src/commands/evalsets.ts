// curio evalsets add|list: clip_benchmark folders runs are evaluated on.
import type { EvalSet } from '@curio/contracts';
import type { Command } from 'commander';
import { collect, ok } from '../client.js';
import { apiFor, listOptions, location, type Io } from '../context.js';
import { printJson, printTable, when } from '../output.js';

export function evalsetsCommand(program: Command, io: Io): void {
  const evalsets = program.command('evalsets').description('eval sets (clip_benchmark folders)');

  evalsets
    .command('add')
    .description(
      'add an eval set: a folder with classnames.txt, zeroshot_classification_templates.txt and test/*.tar',
    )
    .argument('<name>', 'eval set name (runs report their accuracy under it)')
    .argument(
      '<location>',
      'the folder (a local path is sent absolute), or s3://bucket/prefix (or a glob over its test/ shards)',
    )
    .option('--description <text>', 'what it measures')
    .option('--json', "print the API's answer as JSON")
    .action(
      async (
        name: string,
        where: string,
        opts: { description?: string; json?: boolean },
        cmd: Command,
      ) => {
        const { client } = await apiFor(cmd, io);
        const set = await ok(
          'evalsets add',
          client.v1['eval-sets'].$post({
            json: {
              name,
              location: location(where),
              ...(opts.description !== undefined && { description: opts.description }),
            },
          }),
        );
        if (opts.json) return printJson(io.out, set);
        io.out.log(`added eval set ${set.name} (${set.id}) at ${set.location}`);
      },
    );

  listOptions(evalsets.command('list').description('list eval sets')).action(
    async (opts: { json?: boolean; limit: number }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const items = await collect(opts.limit, (query) =>
        ok('evalsets list', client.v1['eval-sets'].$get({ query })),
      );
      if (opts.json) return printJson(io.out, items);
      printTable<EvalSet>(
        io.out,
        items,
        [
          { header: 'id', value: (e) => e.id },
          { header: 'name', value: (e) => e.name },
          { header: 'location', value: (e) => e.location },
          { header: 'created', value: (e) => when(e.createdAt) },
        ],
        'no eval sets yet (`curio evalsets add NAME FOLDER` adds one)',
      );
    },
  );
}
