// curio checkpoints list|download: a run's checkpoints, and one of them (the latest, or --step N)
// unpacked into a folder that `curio-train embed --checkpoint DIR` and `export` read.
import type { Checkpoint } from '@curio/contracts';
import type { Command } from 'commander';
import { collect, ok, problemOf } from '../client.js';
import { apiFor, listOptions, positiveIntOrZero, type Io } from '../context.js';
import { CliError } from '../errors.js';
import { extractTar } from '../extract-tar.js';
import { bytes, printJson, printTable, when } from '../output.js';

export function checkpointsCommand(program: Command, io: Io): void {
  const checkpoints = program.command('checkpoints').description("a run's saved models");

  listOptions(
    checkpoints.command('list').description("list a run's checkpoints, oldest step first"),
  )
    .argument('<run>', 'run id')
    .action(async (run: string, opts: { json?: boolean; limit: number }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const items = await collect(opts.limit, (query) =>
        ok(
          'checkpoints list',
          client.v1.runs[':id'].checkpoints.$get({ param: { id: run }, query }),
        ),
      );
      if (opts.json) return printJson(io.out, items);
      printTable<Checkpoint>(
        io.out,
        items,
        [
          { header: 'id', value: (c) => c.id },
          { header: 'step', value: (c) => String(c.step) },
          { header: 'size', value: (c) => bytes(c.sizeBytes) },
          { header: 'saved', value: (c) => when(c.createdAt) },
        ],
        `run ${run} has no checkpoints yet`,
      );
    });

  checkpoints
    .command('download')
    .description('download a checkpoint (the latest, or the one at --step) into a folder')
    .argument('<run>', 'run id')
    .requiredOption('--out <dir>', 'the folder to unpack it into (created if needed)')
    .option('--step <n>', 'the checkpoint at this step', positiveIntOrZero('--step'))
    .action(async (run: string, opts: { out: string; step?: number }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const all = await collect(100_000, (query) =>
        ok(
          'checkpoints download',
          client.v1.runs[':id'].checkpoints.$get({ param: { id: run }, query }),
        ),
      );
      const chosen = opts.step === undefined ? all.at(-1) : all.find((c) => c.step === opts.step);
      if (!chosen)
        throw new CliError(
          all.length === 0
            ? `run ${run} has no checkpoints yet`
            : `run ${run} has no checkpoint at step ${opts.step}; it has steps ${all.map((c) => c.step).join(', ')}`,
        );
      const res = await client.v1.runs[':id'].checkpoints[':checkpointId'].download.$get({
        param: { id: run, checkpointId: chosen.id },
      });
      if (!res.ok || !res.body) throw await problemOf(res, 'checkpoints download');
      const names = await extractTar(res.body, opts.out).catch((error: unknown) => {
        throw new CliError(
          `checkpoints download: step ${chosen.step} into ${opts.out}: ${(error as Error).message}`,
        );
      });
      io.out.log(
        `downloaded checkpoint ${chosen.id} (run ${run}, step ${chosen.step}) into ${opts.out}: ${names.join(', ')}`,
      );
    });
}
