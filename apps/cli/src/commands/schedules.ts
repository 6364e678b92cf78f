// curio schedules create|list|show|firings|pause|resume|delete: start runs of an experiment every
// N minutes, at daily times or on a cron (in a time zone); `--kind growth` starts a growth run
// only when the experiment's pool has new shards, and each firing says what it did.
import type { Schedule, ScheduleFiring } from '@curio/contracts';
import type { Command } from 'commander';
import { collect, ok, problemOf, type Client } from '../client.js';
import {
  apiFor,
  listOptions,
  positiveInt,
  positiveNumber,
  resolveRef,
  type Io,
} from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { printFields, printJson, printTable, when } from '../output.js';

interface CreateOptions {
  kind: string;
  every?: number;
  at?: string[];
  cron?: string;
  timezone?: string;
  maxMinutes?: number;
  maxCost?: number;
  maxAttempts?: number;
  device?: string;
  paused?: boolean;
  json?: boolean;
}

const trigger = (s: Schedule): string =>
  s.everyMinutes !== null
    ? `every ${s.everyMinutes} min`
    : s.at
      ? `daily at ${s.at.join(', ')} ${s.timezone}`
      : `cron ${s.cron} ${s.timezone}`;

function firingsTable(io: Io, items: ScheduleFiring[], empty: string): void {
  printTable<ScheduleFiring>(
    io.out,
    items,
    [
      { header: 'due', value: (f) => when(f.dueAt) },
      { header: 'outcome', value: (f) => f.outcome },
      { header: 'run', value: (f) => f.runId ?? '' },
      { header: 'message', value: (f) => f.message },
    ],
    empty,
  );
}

const firingsOf = (client: Client, id: string, limit: number) =>
  collect(limit, (query) =>
    ok('schedules firings', client.v1.schedules[':id'].firings.$get({ param: { id }, query })),
  );

export function schedulesCommand(program: Command, io: Io): void {
  const schedules = program
    .command('schedules')
    .description('schedules: runs (or growth runs) of an experiment on a timetable');

  schedules
    .command('create')
    .description('schedule runs of an experiment: give one of --every, --at and --cron')
    .argument('<experiment>', 'experiment id or name')
    .option('--kind <kind>', 'run, or growth (only when its pool has new shards)', 'run')
    .option('--every <minutes>', 'every N minutes', positiveInt('--every'))
    .option(
      '--at <HH:MM>',
      'every day at this time (repeatable)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--cron <expr>', "a cron expression: '0 9 * * MON-FRI', '@daily', '0 0 1 JAN *'")
    .option('--timezone <zone>', 'the IANA time zone of --at and --cron (default UTC)')
    .option('--max-minutes <m>', 'each run: minutes of training', positiveNumber('--max-minutes'))
    .option('--max-cost <usd>', 'each run: estimated cost in USD', positiveNumber('--max-cost'))
    .option('--max-attempts <n>', 'each run: attempts in all', positiveInt('--max-attempts'))
    .option('--device <kind>', 'each run: device kind (a price-table key)')
    .option('--paused', 'create it paused (`curio schedules resume` starts it)')
    .option('--json', "print the API's answer as JSON")
    .action(async (ref: string, opts: CreateOptions, cmd: Command) => {
      const given = [opts.every, opts.at, opts.cron].filter((v) => v !== undefined).length;
      if (given !== 1)
        throw new CliError('give exactly one of --every, --at and --cron', EXIT.usage);
      const { client } = await apiFor(cmd, io);
      const budget = {
        ...(opts.maxMinutes !== undefined && { maxMinutes: opts.maxMinutes }),
        ...(opts.maxCost !== undefined && { maxCost: opts.maxCost }),
      };
      const schedule = await ok(
        'schedules create',
        client.v1.schedules.$post({
          json: {
            experimentId: await resolveRef(client, 'experiment', ref),
            // The API judges the kind, the times and the zone, naming what is wrong.
            kind: opts.kind as never,
            ...(opts.every !== undefined && { everyMinutes: opts.every }),
            ...(opts.at !== undefined && { at: opts.at }),
            ...(opts.cron !== undefined && { cron: opts.cron }),
            ...(opts.timezone !== undefined && { timezone: opts.timezone }),
            enabled: !opts.paused,
            run: {
              ...(Object.keys(budget).length && { budget }),
              ...(opts.maxAttempts !== undefined && { maxAttempts: opts.maxAttempts }),
              ...(opts.device !== undefined && { device: opts.device }),
            },
          },
        }),
      );
      if (opts.json) return printJson(io.out, schedule);
      io.out.log(
        `created ${schedule.kind} schedule ${schedule.id} (${trigger(schedule)}); next ${when(schedule.nextRunAt)}`,
      );
    });

  listOptions(schedules.command('list').description('list schedules')).action(
    async (opts: { json?: boolean; limit: number }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const items = await collect(opts.limit, (query) =>
        ok('schedules list', client.v1.schedules.$get({ query })),
      );
      if (opts.json) return printJson(io.out, items);
      printTable<Schedule>(
        io.out,
        items,
        [
          { header: 'id', value: (s) => s.id },
          { header: 'kind', value: (s) => s.kind },
          { header: 'experiment', value: (s) => s.experimentId },
          { header: 'when', value: trigger },
          { header: 'state', value: (s) => (s.enabled ? 'active' : 'paused') },
          { header: 'next', value: (s) => (s.enabled ? when(s.nextRunAt) : '') },
          { header: 'last run', value: (s) => s.lastRunId ?? '' },
        ],
        'no schedules yet (`curio schedules create EXPERIMENT --cron @daily` makes one)',
      );
    },
  );

  schedules
    .command('show')
    .description('show a schedule and its latest firings')
    .argument('<id>', 'schedule id')
    .option('--json', "print the API's schedule as JSON")
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const s = await ok('schedules show', client.v1.schedules[':id'].$get({ param: { id } }));
      if (opts.json) return printJson(io.out, s);
      printFields(io.out, [
        ['schedule', s.id],
        ['kind', s.kind],
        ['experiment', s.experimentId],
        ['when', trigger(s)],
        ['state', s.enabled ? 'active' : 'paused'],
        ['next', when(s.nextRunAt)],
        ['last fired', when(s.lastRunAt)],
        ['last run', s.lastRunId ?? '—'],
      ]);
      firingsTable(io, await firingsOf(client, id, 10), 'it has not fired yet');
    });

  listOptions(
    schedules.command('firings').description('each time a schedule fired, and what it did'),
  )
    .argument('<id>', 'schedule id')
    .action(async (id: string, opts: { json?: boolean; limit: number }, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const items = await firingsOf(client, id, opts.limit);
      if (opts.json) return printJson(io.out, items);
      firingsTable(io, items, `schedule ${id} has not fired yet`);
    });

  for (const [name, enabled] of [
    ['pause', false],
    ['resume', true],
  ] as const)
    schedules
      .command(name)
      .description(enabled ? 'resume a paused schedule' : 'pause a schedule (it fires no more)')
      .argument('<id>', 'schedule id')
      .action(async (id: string, _opts: unknown, cmd: Command) => {
        const { client } = await apiFor(cmd, io);
        const s = await ok(
          `schedules ${name}`,
          client.v1.schedules[':id'].$patch({ param: { id }, json: { enabled } }),
        );
        io.out.log(enabled ? `resumed ${s.id}; next ${when(s.nextRunAt)}` : `paused ${s.id}`);
      });

  schedules
    .command('delete')
    .description('delete a schedule (its runs stay)')
    .argument('<id>', 'schedule id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { client } = await apiFor(cmd, io);
      const res = await client.v1.schedules[':id'].$delete({ param: { id } });
      if (!res.ok) throw await problemOf(res, 'schedules delete');
      io.out.log(`deleted ${id}`);
    });
}
