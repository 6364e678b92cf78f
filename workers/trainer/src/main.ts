// `curio-train`: wires the command line to the job. Nothing here decides how training works.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { plainWasmWarning, selectBackend } from './backend/index.js';
import { LocalBlobStore } from './checkpoint/blob-store.js';
import { latestCheckpoint } from './checkpoint/checkpoint.js';
import { loadConfig } from './config.js';
import { runEmbedCommand } from './embed/command.js';
import { readEnv } from './env.js';
import { runJob } from './loop/job.js';
import { runDirReporter } from './output/run-dir-reporter.js';
import { runSynthCommand } from './synthetic/command.js';
import { WORKER_USAGE, runWorkerCommand } from './worker/command.js';

const USAGE = `usage:
  curio-train --spec run.json --out DIR [--resume] [--print-every N]
      run a training job standalone; writes metrics, checkpoints and results to DIR
  curio-train synth --out DIR [--pool-size N] [--on-target F] [--seed S] [--eval-per-class N]
      write a synthetic pool, metadata and eval set (the demo's data)
  curio-train embed --checkpoint DIR (--texts FILE | --images PATH...) --out FILE
      embed texts (one a line) or images with a saved model, as JSON lines
${WORKER_USAGE}`;

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command === 'synth') return runSynthCommand(argv.slice(1));
  const slow = plainWasmWarning(); // first line of every training, embedding and worker log
  if (slow) console.log(slow);
  if (command === 'embed') return runEmbedCommand(argv.slice(1), await backendFor());
  // Exit explicitly: a worker that lingers would hold its dispatcher's slot.
  if (command === 'worker') return process.exit(await runWorkerCommand(argv.slice(1), backendFor));
  const { values } = parseArgs({
    args: argv,
    options: {
      spec: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean', default: false },
      'print-every': { type: 'string', default: '10' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (!values.spec || !values.out) throw new Error(`--spec and --out are required\n${USAGE}`);
  const printEvery = Number(values['print-every']);
  if (!Number.isInteger(printEvery) || printEvery <= 0)
    throw new Error(`--print-every must be a positive integer, got ${values['print-every']}`);
  const config = await loadConfig(values.spec, values.out);
  const backend = await backendFor();
  const store = new LocalBlobStore(resolve(config.outDir));
  const resumeFrom = values.resume ? await latestCheckpoint(store) : undefined;
  if (values.resume && !resumeFrom)
    console.log(`no checkpoint in ${config.outDir} yet: starting fresh`);
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    console.log('\ninterrupt: stopping after this step (press again to quit now)');
    process.once('SIGINT', () => process.exit(130));
  });
  await runJob({
    config,
    store,
    backend: backend.name,
    reporter: runDirReporter({ outDir: config.outDir, printEvery, interrupted: () => interrupted }),
    ...(resumeFrom ? { resumeFrom } : {}),
  });
  console.log(
    `\noutputs in ${config.outDir}: metrics.jsonl, curation.jsonl, evals.jsonl, results.json, checkpoints/`,
  );
}

function backendFor() {
  return selectBackend({ forced: readEnv().CURIO_TF_BACKEND, log: (m: string) => console.log(m) });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`curio-train: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
