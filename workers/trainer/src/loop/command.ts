// `curio-train train` (the default command): run a job standalone from a spec file, writing
// metrics, checkpoints and results to a folder. Ctrl-C stops after the current step.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { LocalBlobStore } from '../checkpoint/blob-store.js';
import { latestCheckpoint } from '../checkpoint/checkpoint.js';
import { positiveInt } from '../cli/options.js';
import { requireOptions, type StartBackend } from '../cli/program.js';
import { loadConfig } from '../config.js';
import { runDirReporter } from '../output/run-dir-reporter.js';
import { runJob } from './job.js';

interface TrainOptions {
  spec: string;
  out: string;
  resume: boolean;
  printEvery: number;
}

export function trainCommand(startBackend: StartBackend): Command {
  const command = new Command('train')
    .description('run a training job standalone; writes metrics, checkpoints and results to DIR')
    .option('--spec <file>', 'the run spec (JSON; see examples/)')
    .option('--out <dir>', 'where metrics, evaluations, checkpoints and results go')
    .option('--resume', 'continue from the newest checkpoint in --out', false)
    .option('--print-every <n>', 'print a progress line every n steps', positiveInt, 10)
    .action(async (options: TrainOptions) => {
      const config = await loadConfig(options.spec, options.out);
      const backend = await startBackend();
      const store = new LocalBlobStore(resolve(config.outDir));
      const resumeFrom = options.resume ? await latestCheckpoint(store) : undefined;
      if (options.resume && !resumeFrom)
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
        reporter: runDirReporter({
          outDir: config.outDir,
          printEvery: options.printEvery,
          interrupted: () => interrupted,
        }),
        ...(resumeFrom ? { resumeFrom } : {}),
      });
      console.log(
        `\noutputs in ${config.outDir}: metrics.jsonl, curation.jsonl, evals.jsonl, results.json, checkpoints/`,
      );
    });
  return requireOptions(command, 'spec', 'out');
}
