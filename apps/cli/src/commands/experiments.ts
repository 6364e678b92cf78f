// curio experiments create|list|lineage: a named run configuration (the run spec with its data given by
// pool, metadata set and eval sets). A JSON file gives any field of the config; flags set the
// common ones on top. The API validates it all and names the field that is wrong. `lineage` prints
// its checkpoint tree: runs under the checkpoint they grew from, with each growth step's candidates.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { collect, ok } from '../client.js';
import {
  apiFor,
  fraction,
  listOptions,
  positiveInt,
  positiveNumber,
  resolveRef,
  type Io,
} from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { lineageTree } from '../lineage-tree.js';
import { printJson, printTable, when } from '../output.js';

interface CreateOptions {
  pool: string;
  metadata: string;
  metadataVersion?: number;
  eval?: string[];
  config?: string;
  preset?: string;
  curation?: string;
  batchSize?: number;
  maxSteps?: number;
  maxMinutes?: number;
  target?: number;
  description?: string;
  json?: boolean;
}

type Json = Record<string, unknown>;

export function experimentsCommand(program: Command, io: Io): void {
  const experiments = program
    .command('experiments')
    .description('experiments: named run configurations');

  experiments
    .command('create')
    .description('create an experiment (the API checks the config and names any wrong field)')
    .argument('<name>', 'experiment name')
    .requiredOption('--pool <pool>', 'pool id or name')
    .requiredOption('--metadata <set>', 'metadata set id or name')
    .option(
      '--metadata-version <n>',
      'a fixed version of the set (default: its latest when a run starts)',
      positiveInt('--metadata-version'),
    )
    .option('--eval <set>', 'eval set id or name (repeatable)', (v: string, all: string[] = []) => [
      ...all,
      v,
    ])
    .option(
      '--config <file>',
      'a JSON file with config fields (model, training, curation, stop, eval, checkpoint…)',
    )
    .option('--preset <name>', 'model preset: tiny, small or base')
    .option('--curation <mode>', 'cit, offline or none')
    .option('--batch-size <n>', 'contrastive batch size', positiveInt('--batch-size'))
    .option('--max-steps <n>', 'stop after this many steps', positiveInt('--max-steps'))
    .option(
      '--max-minutes <m>',
      'stop after this many minutes of training',
      positiveNumber('--max-minutes'),
    )
    .option(
      '--target <top1>',
      'stop once zero-shot top-1 reaches this (0.9 or 90%)',
      fraction('--target'),
    )
    .option('--description <text>', 'what the experiment tries')
    .option('--json', "print the API's answer as JSON")
    .action(async (name: string, opts: CreateOptions, cmd: Command) => {
      const base = opts.config ? await readConfig(opts.config) : {};
      const { client } = await apiFor(cmd, io);
      const config: Json = {
        ...base,
        poolId: await resolveRef(client, 'pool', opts.pool),
        metadataSetId: await resolveRef(client, 'metadata set', opts.metadata),
      };
      if (opts.metadataVersion !== undefined) config.metadataVersion = opts.metadataVersion;
      if (opts.eval)
        config.evalSetIds = await Promise.all(
          opts.eval.map((e) => resolveRef(client, 'eval set', e)),
        );
      if (opts.preset) config.model = { ...obj(base.model), preset: opts.preset };
      if (opts.curation) config.curation = { ...obj(base.curation), mode: opts.curation };
      if (opts.batchSize) config.training = { ...obj(base.training), batchSize: opts.batchSize };
      const stop: Json = { ...obj(base.stop) };
      if (opts.maxSteps) stop.maxSteps = opts.maxSteps;
      if (opts.maxMinutes) stop.maxMinutes = opts.maxMinutes;
      if (opts.target !== undefined)
        stop.targetAccuracy = { ...obj(stop.targetAccuracy), top1: opts.target };
      if (Object.keys(stop).length) config.stop = stop;
      const experiment = await ok(
        'experiments create',
        client.v1.experiments.$post({
          // The API is the judge of the config: it answers a 400 naming each wrong field.
          json: {
            name,
            config: config as never,
            ...(opts.description !== undefined && { description: opts.description }),
          },
        }),
      );
      if (opts.json) return printJson(io.out, experiment);
      io.out.log(
        `created experiment ${experiment.name} (${experiment.id}); start it with \`curio runs start ${experiment.id} --wait\``,
      );
    });

  listOptions(experiments.command('list').description('list experiments')).action(
    async (opts: { json?: boolean; limit: number }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const items = await collect(opts.limit, (query) =>
        ok('experiments list', client.v1.experiments.$get({ query })),
      );
      if (opts.json) return printJson(io.out, items);
      printTable<(typeof items)[number]>(
        io.out,
        items,
        [
          { header: 'id', value: (e) => e.id },
          { header: 'name', value: (e) => e.name },
          { header: 'model', value: (e) => String(obj(e.config.model).preset ?? '') },
          { header: 'curation', value: (e) => String(obj(e.config.curation).mode ?? '') },
          { header: 'stop', value: (e) => stopText(obj(e.config.stop)) },
          { header: 'created', value: (e) => when(e.createdAt) },
        ],
        'no experiments yet (`curio experiments create NAME --pool P --metadata M` makes one)',
      );
    },
  );
  lineageCommand(experiments, io);
}

function lineageCommand(experiments: Command, io: Io): void {
  experiments
    .command('lineage')
    .description("print an experiment's lineage: its runs as a tree, with each growth step")
    .argument('<experiment>', 'experiment id or name')
    .option('--json', "print the API's lineage as JSON")
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const id = await resolveRef(client, 'experiment', ref);
      const lineage = await ok(
        'experiments lineage',
        client.v1.experiments[':id'].lineage.$get({ param: { id } }),
      );
      if (opts.json) return printJson(io.out, lineage);
      for (const line of lineageTree(lineage)) io.out.log(line);
    });
}

function obj(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function stopText(stop: Json): string {
  const parts: string[] = [];
  if (stop.maxSteps) parts.push(`${stop.maxSteps} steps`);
  if (stop.maxMinutes) parts.push(`${stop.maxMinutes} min`);
  const target = obj(stop.targetAccuracy).top1;
  if (typeof target === 'number') parts.push(`top-1 ${Math.round(target * 1000) / 10}%`);
  return parts.join(' / ');
}

async function readConfig(file: string): Promise<Json> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `--config ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      EXIT.usage,
    );
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new Error('not a JSON object');
    return value as Json;
  } catch (error) {
    throw new CliError(
      `--config ${file} is not a JSON object: ${(error as Error).message}`,
      EXIT.usage,
    );
  }
}
