// One training job, start to finish: data, curation, training steps, evaluations, checkpoints and
// stop conditions. Standalone (main.ts) and worker mode run this same function; they differ only
// in the BlobStore and the RunReporter they pass.
import { textTowerTrained } from '@curio/contracts';
import type { TrainerConfig } from '../config.js';
import type { BlobStore } from '../checkpoint/blob-store.js';
import type { CheckpointSource, DataState } from '../checkpoint/checkpoint.js';
import { Curator } from '../curation/curator.js';
import {
  buildPoolIndex,
  captionStream,
  createDataStats,
  formatDataStats,
  resolvePool,
  type CaptionSample,
  type DataStats,
  type PoolIndexEntry,
  type PoolShard,
} from '@curio/webdataset';
import { textEmbedder } from '../embed/embedder.js';
import { pairEvidence } from '../embed/pair-evidence.js';
import {
  curatorResume,
  handoverSettings,
  roundSteps,
  type CitResume,
} from './curation-settings.js';
import { evaluate, prepareEvalSet, type PreparedEvalSet } from '../eval/evaluate.js';
import { forwardGflops, towerForwardGflops, type ModelConfig } from '../model/index.js';
import { lrAt } from '../optim/index.js';
import {
  citFeed,
  offlineFeed,
  poolFeed,
  readKept,
  feedCommon,
  type DataFeed,
} from './data-feed.js';
import type { StopReason } from '@curio/contracts';
import type { EvalReport, RunReporter, RunSummary } from './reporter.js';
import { Checkpointer } from './checkpointer.js';
import { freshTrainables, restoredTrainables, type Trainables } from './setup.js';
import { grownTrainables } from '../growth/grow.js';
import { batchStep, temperatureOf } from './batch-step.js';
import { adaptiveSampling } from './adaptive-sampling.js';

export interface JobOptions {
  config: TrainerConfig;
  store: BlobStore;
  reporter: RunReporter;
  /** The backend in use, for the summary. */
  backend: string;
  /** Resume from this checkpoint key in `store`. */
  resumeFrom?: string;
  /** Where `model.*.init: { checkpoint: id }` is read (key: the id); worker mode only. */
  initSource?: CheckpointSource;
}

export async function runJob(o: JobOptions): Promise<RunSummary> {
  const { spec } = o.config;
  const { reporter } = o;
  const stats = createDataStats();
  const shards = await resolvePool(spec.pool.sources);
  const index = await buildPoolIndex(shards, { stats });
  const poolSize = index.reduce((n, e) => n + e.count, 0);
  if (poolSize === 0) throw new Error(`the pool has no usable samples (${formatDataStats(stats)})`);
  reporter.log(
    `pool: ${poolSize} pairs in ${shards.length} shards from ${spec.pool.sources.length} source(s)`,
  );

  const restored = o.resumeFrom ? await restoredTrainables(spec, o.store, o.resumeFrom) : undefined;
  const grown =
    !restored && spec.growth
      ? await grownTrainables({ ...spec, growth: spec.growth }, shards, stats, o.initSource, (m) =>
          reporter.log(m),
        )
      : undefined;
  if (grown) reporter.growth(grown.growth);
  const t: Trainables =
    restored ?? grown?.trainables ?? (await freshTrainables(spec, shards, stats, o.initSource));
  const { model, tokenizer } = t;
  const gflops = forwardGflops(model.config);
  const towerGflops = towerForwardGflops(model.config);
  reporter.log(
    `model: ${model.config.name}, ${gflops.toFixed(4)} forward GFLOPs/sample (image ${towerGflops.image.toFixed(4)}, text ${towerGflops.text.toFixed(4)})${learnersLine(model.config)}, vocab ${tokenizer.vocabSize}`,
  );
  if (restored)
    reporter.log(`resumed from ${o.resumeFrom} at step ${restored.checkpoint.state.step}`);

  const evalSets: PreparedEvalSet[] = [];
  for (const e of spec.evalSets) {
    const set = await prepareEvalSet(e, model.config.image.size, spec.eval.maxSamples);
    reporter.log(
      `eval set ${e.name}: ${set.labels.length} samples, ${set.classnames.length} classes${set.problems ? ` (${set.problems})` : ''}`,
    );
    evalSets.push(set);
  }

  let step = restored?.checkpoint.state.step ?? 0;
  let lastRatio: number | undefined;
  let newWeights: Record<string, number> | undefined;
  const feed = await createFeed(
    o,
    t,
    shards,
    index,
    poolSize,
    stats,
    restored?.checkpoint.state.data,
  );
  feed.onSourceWeights = (w) => (newWeights = w);
  feed.onRound = (s) => {
    lastRatio = s.ratio;
    reporter.curation(step, s);
  };
  const elapsedBefore = restored?.checkpoint.state.elapsedSeconds ?? 0;
  const started = performance.now();
  const elapsed = () => elapsedBefore + (performance.now() - started) / 1000;
  const evaluations: EvalReport[] = [];
  const { stop } = spec;
  const target = stop.targetAccuracy;
  const targetSet = target?.evalSet ?? evalSets[0]?.name;
  if (target && !evalSets.some((e) => e.name === targetSet)) {
    throw new Error(
      `stop.targetAccuracy names eval set ${targetSet ?? '(none)'}, which the spec does not list`,
    );
  }
  let targetScore: { step: number; top1: number } | undefined; // for checkpoint retention
  const runEval = async (): Promise<boolean> => {
    let reached = false;
    for (const set of evalSets) {
      const result = await evaluate(model, tokenizer, set);
      const r: EvalReport = { ...result, step, elapsedSeconds: elapsed() };
      evaluations.push(r);
      reporter.evaluation(r);
      if (set.name === targetSet) targetScore = { step, top1: r.zeroShot.top1 };
      if (target && set.name === targetSet && r.zeroShot.top1 >= target.top1) reached = true;
    }
    return reached;
  };
  const checkpointer = await Checkpointer.open({
    spec,
    store: o.store,
    reporter,
    trainables: t,
    feed,
    ...(restored && o.resumeFrom ? { resumed: { key: o.resumeFrom, step } } : {}),
  });
  const checkpoint = () =>
    checkpointer.save(step, elapsed(), targetScore?.step === step ? targetScore.top1 : undefined);
  // A grown model's first evaluation, before it trains on: what it kept of its parent.
  if (grown && evalSets.length) runEval();

  const schedule = {
    baseLr: spec.training.lr,
    warmupSteps: spec.training.warmupSteps,
    totalSteps: stop.maxSteps ?? 0,
  };
  let stopReason: StopReason | undefined;
  try {
    while (!stopReason) {
      if (stop.maxSteps !== undefined && step >= stop.maxSteps) stopReason = 'max_steps';
      else if (stop.maxMinutes !== undefined && elapsed() >= stop.maxMinutes * 60)
        stopReason = 'max_minutes';
      else stopReason = reporter.stopRequested?.();
      if (stopReason) break;

      const batch = await feed.next(step);
      const t0 = performance.now();
      const n = batch.samples.length;
      const lr = lrAt(step, schedule);
      const result = batchStep(t, batch, spec, step, lr);
      step++;
      const seconds = (performance.now() - t0) / 1000;
      if (!Number.isFinite(result.loss))
        throw new Error(`training diverged: loss is ${result.loss} at step ${step}`);
      reporter.step({
        step,
        loss: result.loss,
        lr,
        temperature: temperatureOf(t.model),
        gradNorm: result.gradNorm,
        samplesPerSec: n / seconds,
        gflopPerSec: (3 * gflops * n) / seconds,
        batchSize: n,
        ...(lastRatio !== undefined ? { curationRatio: lastRatio } : {}),
        ...(newWeights ? { sourceWeights: newWeights } : {}),
        elapsedSeconds: elapsed(),
      });
      newWeights = undefined;
      if (step % spec.eval.everySteps === 0 && evalSets.length && (await runEval()))
        stopReason = 'target_accuracy';
      if (step % spec.checkpoint.everySteps === 0) await checkpoint();
    }
    const lastEvalStep = evaluations.at(-1)?.step;
    if (
      evalSets.length &&
      lastEvalStep !== step &&
      (await runEval()) &&
      stopReason !== 'target_accuracy'
    ) {
      reporter.log('target accuracy reached at the final evaluation');
    }
    // Whatever stopped the run (steps, time, target, cost, cancel, a signal), its weights are kept.
    await checkpoint();
  } finally {
    await feed.close();
  }
  const summary: RunSummary = {
    steps: step,
    stopReason,
    elapsedSeconds: elapsed(),
    backend: o.backend,
    forwardGflops: towerGflops,
    evaluations,
    dataProblems: formatDataStats(stats),
  };
  await reporter.finished(summary);
  return summary;
}

async function createFeed(
  o: JobOptions,
  t: Trainables,
  shards: readonly PoolShard[],
  index: readonly PoolIndexEntry[],
  poolSize: number,
  stats: DataStats,
  resume: DataState | undefined,
): Promise<DataFeed> {
  const { spec, metadata } = o.config;
  const tr = spec.training;
  const common = feedCommon(spec, t.model.config.image.size, stats);
  const c = spec.curation;
  if (c.mode === 'none') {
    const r = resume?.mode === 'none' ? resume : undefined;
    const adaptive =
      tr.sourceWeights.mode === 'adaptive'
        ? await adaptiveSampling(spec, t, shards, index, stats, r?.sourceWeights)
        : undefined;
    return poolFeed(index, common, r?.batcher, adaptive);
  }
  const bootstrap = c.bootstrap;
  const curator = (start?: CitResume, offline = false) =>
    new Curator({
      stream: captionStream(shards, {
        stats,
        loop: !offline,
        ...(start ? { start: start.position } : {}),
      }),
      metadata,
      templates: spec.metadata.templates,
      embedder: textEmbedder(t.model, t.tokenizer),
      settings: {
        threshold: c.threshold,
        minRatio: c.minRatio,
        bootstrap,
        topFraction: c.keep.topFraction,
      },
      chunkSize: c.chunkSize ?? 2 * tr.batchSize,
      target: offline ? Number.POSITIVE_INFINITY : c.interval * tr.batchSize,
      maxScan: offline ? poolSize : Math.min(c.maxScanPerRound, poolSize),
      ...(bootstrap === 'lexical' && c.handover === 'adds' && !offline
        ? { handover: handoverSettings(c) }
        : {}),
      ...(c.pairFilter === 'outliers' ? { pairFilterSeparation: c.pairFilterSeparation } : {}),
      evidence: (samples: readonly CaptionSample[], meta: Float32Array) =>
        pairEvidence(t.model, t.tokenizer, samples, meta, stats, c.pairScore),
      imageProbe: c.imageProbe,
      roundSteps: (kept) => roundSteps(kept, c, tr.batchSize),
      ...(start ? { resume: curatorResume(start, c) } : {}),
      // A pretrained text tower (a growth run's parent's): no cold start once the model agrees.
      trainedModel: textTowerTrained(spec),
      rejectedSample: offline ? 0 : Math.ceil(c.explore * c.interval * tr.batchSize),
      seed: spec.seed,
    });
  if (c.mode === 'cit') {
    const r = resume?.mode === 'cit' ? resume : undefined;
    // A checkpoint taken mid-round brings the round's pairs back (one scan of the captions).
    const mid = r?.round;
    const pairs = mid ? await readKept(shards, [...mid.keptIds, ...mid.exploreIds], stats) : [];
    const round = mid && {
      start: mid.start,
      steps: mid.steps ?? c.interval,
      kept: pairs.slice(0, mid.keptIds.length),
      explore: pairs.slice(mid.keptIds.length),
    };
    return citFeed(curator(r), common, c.explore, { ...(round ? { round } : {}) });
  }
  const keptIds = resume?.mode === 'offline' ? resume.keptIds : undefined;
  return offlineFeed(
    async () => {
      if (keptIds) return readKept(shards, keptIds, stats);
      const { buffer, stats: roundStats } = await curator(undefined, true).round();
      o.reporter.curation(0, roundStats);
      return buffer;
    },
    c.interval,
    common,
  );
}

/** ", image tokens → 8 after block 2" for the towers with a token learner. */
function learnersLine(config: ModelConfig): string {
  return (['image', 'text'] as const)
    .map((tower) => {
      const l = config[tower].tokenLearner;
      return l ? `, ${tower} tokens → ${l.tokens} after block ${l.at}` : '';
    })
    .join('');
}
