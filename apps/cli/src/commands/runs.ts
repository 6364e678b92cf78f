// curio runs start|list|show|logs|cancel|wait: start a run of an experiment (with a budget and a
// target), follow it live, read its log, cancel it, and see its results with time and cost.
import {
  RUN_STATUSES,
  type MetricName,
  type Run,
  type RunDetail,
  type RunEvent,
  type RunStatus,
  isUnfinishedStatus,
} from '@curio/contracts';
import type { Command } from 'commander';
import pc from 'picocolors';
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
import {
  bytes,
  cost,
  duration,
  printFields,
  printJson,
  printTable,
  status,
  when,
} from '../output.js';
import { printResults, stopReason } from '../results.js';
import { waitForRun } from '../wait.js';

interface StartOptions {
  maxMinutes?: number;
  maxCost?: number;
  target?: number;
  targetEval?: string;
  maxAttempts?: number;
  device?: string;
  idempotencyKey?: string;
  wait?: boolean;
  verbose?: boolean;
  json?: boolean;
}

export function runsCommand(program: Command, io: Io): void {
  const runs = program.command('runs').description('training runs');

  runs
    .command('start')
    .description('start a run of an experiment (queued until a worker is free)')
    .argument('<experiment>', 'experiment id or name')
    .option('--max-minutes <m>', 'budget: minutes of training', positiveNumber('--max-minutes'))
    .option('--max-cost <usd>', 'budget: estimated cost in USD', positiveNumber('--max-cost'))
    .option(
      '--target <top1>',
      'stop once zero-shot top-1 reaches this (0.9 or 90%)',
      fraction('--target'),
    )
    .option('--target-eval <name>', 'the eval set the target is measured on (default: the first)')
    .option(
      '--max-attempts <n>',
      'attempts in all, a failed one resumed from its checkpoint (default 3)',
      positiveInt('--max-attempts'),
    )
    .option('--device <kind>', 'device kind (a price-table key, e.g. cpu, nvidia-h100)')
    .option(
      '--idempotency-key <key>',
      'the same key again returns the first run instead of starting another',
    )
    .option('--wait', 'follow the run live until it ends, then print its results')
    .option('--verbose', 'with --wait: print every event')
    .option('--json', 'print the run as JSON')
    .action(async (ref: string, opts: StartOptions, cmd: Command) => {
      const api = await apiFor(cmd, io);
      const experimentId = await resolveRef(api.client, 'experiment', ref);
      const budget = {
        ...(opts.maxMinutes !== undefined && { maxMinutes: opts.maxMinutes }),
        ...(opts.maxCost !== undefined && { maxCost: opts.maxCost }),
      };
      const run = await ok(
        'runs start',
        api.client.v1.runs.$post({
          json: {
            experimentId,
            ...(Object.keys(budget).length && { budget }),
            ...(opts.target !== undefined && { targetAccuracy: opts.target }),
            ...(opts.targetEval !== undefined && { targetEvalSet: opts.targetEval }),
            ...(opts.maxAttempts !== undefined && { maxAttempts: opts.maxAttempts }),
            ...(opts.device !== undefined && { device: opts.device }),
          },
          header: opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {},
        }),
      );
      if (!opts.wait) {
        if (opts.json) return printJson(io.out, run);
        io.out.log(
          `started run ${run.id} (${run.status}); follow it with \`curio runs wait ${run.id}\``,
        );
        return;
      }
      io.out.note(`started run ${run.id}; following it (Ctrl-C stops following, the run goes on)`);
      const { exitCode } = await waitForRun(api, io, run.id, {
        ...(opts.json && { json: true }),
        ...(opts.verbose && { verbose: true }),
      });
      process.exitCode = exitCode;
    });

  listOptions(runs.command('list').description('list runs, newest first'))
    .option(
      '--status <status>',
      `only runs in this status (${RUN_STATUSES.join(', ')})`,
      (v: string): RunStatus => {
        if (!(RUN_STATUSES as readonly string[]).includes(v))
          throw new CliError(
            `--status must be one of ${RUN_STATUSES.join(', ')}, got "${v}"`,
            EXIT.usage,
          );
        return v as RunStatus;
      },
    )
    .option('--experiment <experiment>', 'only runs of this experiment (id or name)')
    .action(
      async (
        opts: { json?: boolean; limit: number; status?: RunStatus; experiment?: string },
        cmd: Command,
      ) => {
        const { client } = await apiFor(cmd, io);
        const experimentId = opts.experiment
          ? await resolveRef(client, 'experiment', opts.experiment)
          : undefined;
        const items = await collect(opts.limit, (page) =>
          ok(
            'runs list',
            client.v1.runs.$get({
              query: {
                ...page,
                ...(opts.status && { status: opts.status }),
                ...(experimentId && { experimentId }),
              },
            }),
          ),
        );
        if (opts.json) return printJson(io.out, items);
        printTable<Run>(
          io.out,
          items,
          [
            { header: 'id', value: (r) => r.id },
            { header: 'experiment', value: (r) => r.experimentId },
            { header: 'status', value: (r) => status(r.status) },
            { header: 'attempt', value: (r) => `${r.attempt}/${r.maxAttempts}`, align: 'right' },
            { header: 'device', value: (r) => r.device ?? '–' },
            { header: 'started', value: (r) => when(r.startedAt) },
            { header: 'device time', value: (r) => duration(r.deviceSeconds), align: 'right' },
            { header: 'cost', value: (r) => cost(r.costEstimate), align: 'right' },
            { header: 'stopped by', value: (r) => (r.stopReason ? r.stopReason : '') },
          ],
          'no runs yet (`curio runs start EXPERIMENT --wait` starts one)',
        );
      },
    );

  runs
    .command('show')
    .description('show a run: status, usage, latest metrics, checkpoints and results')
    .argument('<id>', 'run id')
    .option('--json', "print the API's run detail as JSON")
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const run = await ok('runs show', client.v1.runs[':id'].$get({ param: { id } }));
      if (opts.json) return printJson(io.out, run);
      printRun(io, run);
    });

  runs
    .command('logs')
    .description("a run's event log: status changes, worker logs, checkpoints, evaluations")
    .argument('<id>', 'run id')
    .option(
      '--type <type>',
      'only events of this type (status, log, progress, checkpoint, evaluation, curation)',
    )
    .option('--limit <n>', 'at most this many events, oldest first', positiveInt('--limit'), 10_000)
    .option('--follow', 'then follow the run live until it ends')
    .option('--json', "print the API's events as JSON")
    .action(
      async (
        id: string,
        opts: { type?: string; limit: number; follow?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const api = await apiFor(cmd, io);
        if (opts.follow && opts.json)
          throw new CliError(
            '--follow prints live lines, not JSON: use `runs logs --json`, or `runs wait --json` for the final run',
            EXIT.usage,
          );
        if (opts.follow) {
          // The stream replays the log from the start, then follows it live.
          const { exitCode } = await waitForRun(api, io, id, { verbose: true });
          process.exitCode = exitCode;
          return;
        }
        const items = await collect(opts.limit, (page) =>
          ok(
            'runs logs',
            api.client.v1.runs[':id'].events.$get({
              param: { id },
              query: { ...page, ...(opts.type && { type: opts.type }) },
            }),
          ),
        );
        if (opts.json) printJson(io.out, items);
        else for (const e of items) io.out.log(eventLine(e));
      },
    );

  runs
    .command('cancel')
    .description('cancel a run: it is canceled at once and its worker stopped')
    .argument('<id>', 'run id')
    .option('--json', 'print the canceled run as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const run = await ok('runs cancel', client.v1.runs[':id'].cancel.$post({ param: { id } }));
      if (opts.json) return printJson(io.out, run);
      io.out.log(
        `canceled run ${run.id} (after ${duration(run.deviceSeconds)}, ${cost(run.costEstimate)})`,
      );
    });

  runs
    .command('wait')
    .description(
      'follow a run live until it ends, then print its results with time and cost to each accuracy',
    )
    .argument('<id>', 'run id')
    .option('--verbose', 'print every event')
    .option('--json', 'print the final run detail as JSON (progress still goes to stderr)')
    .action(async (id: string, opts: { verbose?: boolean; json?: boolean }, cmd: Command) => {
      const api = await apiFor(cmd, io);
      const { exitCode } = await waitForRun(api, io, id, {
        ...(opts.json && { json: true }),
        ...(opts.verbose && { verbose: true }),
      });
      process.exitCode = exitCode;
    });
}

export function eventLine(e: RunEvent): string {
  const at = pc.dim(when(e.at));
  const type = e.type.padEnd(10);
  if (e.type === 'status')
    return `${at}  ${type}  ${e.fromStatus ?? '·'} → ${status(e.toStatus ?? '?')}${e.message && !e.message.includes('→') ? `: ${e.message}` : ''}`;
  return `${at}  ${type}  ${e.message ?? ''}`;
}

function printRun(io: Io, run: RunDetail): void {
  const budget = [
    run.budget.maxMinutes !== null ? `${run.budget.maxMinutes} min` : '',
    run.budget.maxCost !== null ? cost(run.budget.maxCost) : '',
  ].filter(Boolean);
  const metric = (name: MetricName, format: (v: number) => string) => {
    const m = run.latestMetrics[name];
    return m ? `${format(m.value)} (step ${m.step})` : '–';
  };
  const latest = run.checkpoints.at(-1);
  printFields(io.out, [
    ['run', run.id],
    ['experiment', run.experimentId],
    [
      'status',
      `${status(run.status)}${run.stopReason ? ` (stopped by ${stopReason(run.stopReason)})` : ''}`,
    ],
    ...(run.error ? ([['error', pc.red(run.error)]] as [string, string][]) : []),
    ['attempt', `${run.attempt} of ${run.maxAttempts}`],
    ['device', `${run.device ?? '–'}${run.backend ? ` (${run.backend})` : ''}`],
    ['created', when(run.createdAt)],
    ['started', when(run.startedAt)],
    ['finished', when(run.finishedAt)],
    ['device time', duration(run.deviceSeconds)],
    ['cost', cost(run.costEstimate)],
    ['budget', budget.join(', ') || 'none'],
    [
      'target',
      run.targetAccuracy !== null
        ? `top-1 ${(run.targetAccuracy * 100).toFixed(1)}% on ${run.targetEvalSet ?? 'the first eval set'}`
        : 'none',
    ],
    ['loss', metric('loss', (v) => v.toFixed(4))],
    ['samples/s', metric('samples_per_sec', (v) => v.toFixed(1))],
    ['temperature τ', metric('temperature', (v) => v.toFixed(4))],
    ['curated', metric('curation_ratio', (v) => `${(v * 100).toFixed(1)}%`)],
    [
      'checkpoints',
      latest
        ? `${run.checkpoints.length}, latest at step ${latest.step} (${bytes(latest.sizeBytes)})`
        : 'none',
    ],
  ]);
  io.out.log('');
  printResults(io.out, run, run.evaluations);
  io.out.log('');
  io.out.log(
    pc.dim(
      `log: curio runs logs ${run.id}${isUnfinishedStatus(run.status) ? `   follow: curio runs wait ${run.id}` : ''}`,
    ),
  );
}
