// curio demo (`npm run demo`): the whole platform on this machine in one command. Starts the API on
// the embedded defaults (or uses the configured one), makes a team and key, writes the synthetic
// pool, metadata and eval set, registers them, runs a CiT experiment through the local
// dispatcher, follows it live and prints the zero-shot and retrieval table with each step's time.
import { join, resolve } from 'node:path';
import { isActiveStatus, type Run } from '@curio/contracts';
import { plainWasmWarning } from '@curio/native-kernels/plain-wasm-warning';
import type { Command } from 'commander';
import pc from 'picocolors';
import { ensureTeamKey } from '../bootstrap.js';
import { dashboardLogin, servedDashboard } from '../dashboard.js';
import { ensureDashboardBuilt } from '../dashboard-build.js';
import { dataRootsFor, describeRoots, grantDataRoots } from '../data-roots.js';
import { createClient, ok, reachableFetch } from '../client.js';
import { configuredConnection, type GlobalOptions } from '../connection.js';
import {
  fraction,
  positiveInt,
  positiveIntOrZero,
  positiveNumber,
  type Api,
  type Io,
} from '../context.js';
import type { EmbeddedApi } from '../embedded.js';
import { count, duration, percent } from '../output.js';
import { DEMO_DEFAULTS } from '../demo-defaults.js';
import { fetchCurationSummary, printDemoSummary } from '../demo-summary.js';
import { waitForRun } from '../wait.js';

interface DemoOptions {
  minutes: number;
  poolSize: number;
  onTarget: number;
  target: number;
  seed: number;
  port?: number;
  serve?: boolean;
  dataRoot: string[];
}

export function demoCommand(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run a curated (CiT) training job end to end on synthetic data, on this machine')
    .option(
      '--minutes <m>',
      'training budget in minutes',
      positiveNumber('--minutes'),
      DEMO_DEFAULTS.minutes,
    )
    .option(
      '--pool-size <n>',
      'pairs in the synthetic pool',
      positiveInt('--pool-size'),
      DEMO_DEFAULTS.poolSize,
    )
    .option(
      '--on-target <f>',
      'fraction of the pool that is on target',
      fraction('--on-target'),
      DEMO_DEFAULTS.onTarget,
    )
    .option(
      '--target <top1>',
      'stop early once zero-shot top-1 reaches this',
      fraction('--target'),
      0.9,
    )
    .option(
      '--seed <n>',
      'seed of the synthetic data',
      positiveIntOrZero('--seed'),
      DEMO_DEFAULTS.seed,
    )
    .option(
      '--port <port>',
      'port of the embedded API (default 8787, or a free one if taken)',
      positiveIntOrZero('--port'),
    )
    .option('--serve', 'keep serving the API after the run (Ctrl-C stops it)')
    .option(
      '--data-root <dir>',
      'a folder the team may use data from (repeatable; on loopback the working folder is one)',
      (dir: string, dirs: string[]) => [...dirs, dir],
      [] as string[],
    )
    .action(async (opts: DemoOptions, cmd: Command) => {
      process.exitCode = await runDemo(io, opts, cmd.optsWithGlobals<GlobalOptions>());
    });
}

async function runDemo(io: Io, opts: DemoOptions, global: GlobalOptions): Promise<number> {
  const { out } = io;
  const t0 = Date.now();
  const timings: [string, number][] = [];
  const step = async <T>(
    label: string,
    body: () => Promise<T>,
    describe: (value: T) => string,
  ): Promise<T> => {
    const started = Date.now();
    // On a terminal the "working" note is replaced by the result line; elsewhere it stays.
    if (io.live) process.stderr.write(pc.dim(`  ${label}…`));
    else out.note(pc.dim(`${label}…`));
    const value = await body().finally(() => {
      if (io.live) process.stderr.write('\r\x1b[2K');
    });
    const seconds = (Date.now() - started) / 1000;
    timings.push([label, seconds]);
    out.log(
      `${pc.green('✔')} ${label.padEnd(12)} ${describe(value)} ${pc.dim(`(${duration(seconds)})`)}`,
    );
    return value;
  };
  out.log(
    pc.bold(
      'Curio demo: curate web-like data for a task while training a CLIP model on it (CiT), end to end here',
    ),
  );
  const slow = plainWasmWarning();
  if (slow) out.log(pc.yellow(slow));

  // 1. The API: the configured one, one already serving this data folder, or the embedded one.
  let embedded: EmbeddedApi | undefined;
  const configured = await configuredConnection(global, io.env);
  const { url, key: givenKey } = await step(
    'API',
    async () => {
      if (configured && (configured.source !== 'saved' || (await answers(configured.url))))
        return configured;
      await ensureDashboardBuilt(io.env, (line) => out.note(pc.dim(line)));
      const { startEmbedded } = await import('../embedded.js');
      embedded = await startEmbedded(io.env, {
        port: opts.port,
        portFallback: true,
        log: { file: join(io.env.CURIO_DATA_DIR, 'logs', 'api.log') },
      });
      return {
        url: embedded.url,
        key: global.key ?? io.env.CURIO_API_KEY,
        source: 'embedded' as const,
      };
    },
    (c) =>
      embedded
        ? `started at ${pc.bold(c.url)} on the embedded defaults: PGlite in ${join(embedded.dataDir, 'pglite')}, local trainer workers`
        : `using the API at ${pc.bold(c.url)} (${c.source === 'saved' ? `already serving ${io.env.CURIO_DATA_DIR}` : 'configured'})`,
  );
  let stopping = false;
  try {
    // 2. A team and key.
    const team = await step(
      'team & key',
      () =>
        ensureTeamKey(io.env, {
          url,
          key: givenKey,
          adminToken: embedded?.adminToken,
          teamName: 'Demo team',
          email: 'demo@example.com',
        }),
      (t) =>
        `${t.created ? 'created' : 'reusing'} team ${t.team.name} and its owner key ${t.keyPrefix}… (saved in ${t.file})`,
    );
    const api: Api = {
      conn: { url, key: team.key, source: 'saved' },
      client: createClient({ url, key: team.key }),
    };
    const dashboardUrl = embedded ? embedded.running.dashboardUrl : await servedDashboard(url);
    out.log(
      `${pc.green('✔')} ${'dashboard'.padEnd(12)} ${await dashboardLogin(api.client, url, dashboardUrl)}`,
    );

    // 3. The data (the generator and the API load only for the demo).
    const { demoData, registerDemoCatalog } = await import('../demo-data.js');
    const settings = { poolSize: opts.poolSize, onTarget: opts.onTarget, seed: opts.seed };
    const data = await step(
      'data',
      () => demoData(io.env.CURIO_DATA_DIR, settings),
      (d) => {
        const c = d.counts;
        return `${d.generated ? 'generated' : 'reusing'} ${count(c.pool)} pairs (${count(c.onTarget)} on target, ${percent(c.onTarget / c.pool)}; ${count(c.offTarget)} web-like noise; ${count(c.mismatched)} mismatched), ${d.names.length} classes, ${count(c.eval)} eval images in ${d.dir}`;
      },
    );

    // The embedded API's team may read its folders and the demo data (a configured API's operator
    // grants folders there).
    if (embedded) {
      const admin = { url, adminToken: embedded.adminToken, teamId: team.team.id };
      const dirs = [...dataRootsFor(url, process.cwd(), opts.dataRoot), resolve(data.dir)];
      for (const line of describeRoots(await grantDataRoots(admin, dirs), team.team.name))
        out.log(pc.dim(line));
    }

    // 4. The catalog.
    const run = { minutes: opts.minutes, target: opts.target, poolSize: opts.poolSize };
    const catalog = await step(
      'catalog',
      () => registerDemoCatalog(api.client, data, run),
      (c) =>
        c.reused.length === 4
          ? `reusing the pool, metadata set, eval set and experiment ${c.experimentName}`
          : `registered pool, metadata set (${data.names.length} names with synonyms), eval set ${c.evalSetName} and CiT experiment ${c.experimentName}${c.reused.length ? ` (reused: ${c.reused.join(', ')})` : ''}`,
    );

    // 5. The run, followed live.
    const started = Date.now();
    const created = await ok(
      'starting the run',
      api.client.v1.runs.$post({ json: { experimentId: catalog.experimentId }, header: {} }),
    );
    out.log(
      `${pc.green('✔')} ${'run'.padEnd(12)} started ${pc.bold(created.id)}: tiny CLIP, CiT curation, stops after ${duration(opts.minutes * 60)} of training or at ${percent(opts.target)} zero-shot top-1`,
    );
    const phases = new Map<string, number>();
    let workerLog: string | undefined;
    const onStatus = (r: Run) => {
      phases.set(r.status, Date.now());
      if (isActiveStatus(r.status)) workerLog = embedded?.workerLog(r.id) ?? workerLog;
    };
    const onInterrupt = () => {
      if (stopping) process.exit(130);
      stopping = true;
      out.note(pc.yellow(`\nCtrl-C: canceling run ${created.id} (again to quit at once)`));
      void api.client.v1.runs[':id'].cancel.$post({ param: { id: created.id } }).catch(() => {});
    };
    const { run: final, exitCode } = await waitForRun(api, io, created.id, {
      onStatus,
      onInterrupt,
    });
    const running = phases.get('running');
    if (running)
      timings.push(
        ['worker start', (running - started) / 1000],
        ['training', (Date.now() - running) / 1000],
      );
    else timings.push(['run', (Date.now() - started) / 1000]);

    out.log('');
    const curation = await fetchCurationSummary(api.client, final.id);
    printDemoSummary(
      out,
      final,
      { pairs: data.counts.pool, onTarget: data.counts.onTarget },
      curation,
    );
    out.log('');
    out.log(
      `${pc.bold('Timings')}  ${timings.map(([l, s]) => `${l} ${duration(s)}`).join(' · ')} · ${pc.bold(`total ${duration((Date.now() - t0) / 1000)}`)}`,
    );
    out.log('');
    whereNext(io, { url, runId: final.id, embedded, serving: Boolean(opts.serve), workerLog });
    if (embedded && opts.serve) {
      out.log(pc.dim(`serving at ${url}; Ctrl-C stops it`));
      await new Promise<void>((done) => process.once('SIGINT', () => done()));
    }
    return exitCode;
  } finally {
    await embedded?.close({ stopWorkers: true });
  }
}

function whereNext(
  io: Io,
  o: {
    url: string;
    runId: string;
    embedded: EmbeddedApi | undefined;
    serving: boolean;
    workerLog: string | undefined;
  },
): void {
  const lines: [string, string][] = [];
  if (o.embedded && !o.serving)
    lines.push([
      'npm run serve',
      "serves this store again (the demo's API stopped with it); then, in another shell:",
    ]);
  else lines.push([`${o.url}/v1/openapi.json`, 'the API (its OpenAPI document)']);
  lines.push(
    [`npx curio runs show ${o.runId}`, 'the run: status, usage, checkpoints, results'],
    [
      `npx curio runs logs ${o.runId}`,
      'its event log (status changes, curation rounds, evaluations)',
    ],
    [
      `npx curio checkpoints download ${o.runId} --out model`,
      'its final weights, unpacked into model/',
    ],
  );
  if (o.workerLog) lines.push([o.workerLog, "the trainer worker's own log"]);
  if (o.embedded) {
    const d = o.embedded.dataDir;
    lines.push(
      [join(d, 'pglite'), 'the store (PGlite)'],
      [join(d, 'blobs', o.runId), "the run's checkpoints"],
      [join(d, 'demo-data'), 'the synthetic pool, metadata and eval set'],
      [join(d, 'logs', 'api.log'), "the API's log"],
      [join(d, 'cli.json'), 'the API URL and your team key (other curio commands use them)'],
    );
  }
  io.out.log(pc.bold('Where to look next'));
  const width = Math.max(...lines.map(([a]) => a.length));
  for (const [a, b] of lines) io.out.log(`  ${a.padEnd(width)}  ${pc.dim(b)}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await reachableFetch(url)(`${url}/v1/health`, {
      signal: AbortSignal.timeout(2000),
    });
    return res.ok;
  } catch {
    return false;
  }
}
