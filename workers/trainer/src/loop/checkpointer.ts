// Writes the job's checkpoints: weights, optimiser, tokenizer and where the data stood, each step
// at most once, then lets retention delete what it no longer keeps.
import type { RunSpec } from '@curio/contracts';
import type { BlobStore } from '../checkpoint/blob-store.js';
import { saveCheckpoint } from '../checkpoint/checkpoint.js';
import { CheckpointRetention } from '../checkpoint/retention.js';
import { parentLabel } from '../growth/grow.js';
import { towerForwardGflops } from '../model/index.js';
import type { DataFeed } from './data-feed.js';
import type { RunReporter } from './reporter.js';
import type { Trainables } from './setup.js';

export interface CheckpointerOptions {
  spec: RunSpec;
  store: BlobStore;
  reporter: RunReporter;
  trainables: Trainables;
  feed: DataFeed;
  /** The checkpoint the job resumed from: its step is not written again. */
  resumed?: { key: string; step: number };
}

export class Checkpointer {
  private savedStep: number;

  private constructor(
    private readonly o: CheckpointerOptions,
    private readonly retention: CheckpointRetention,
  ) {
    this.savedStep = o.resumed?.step ?? -1;
  }

  /** A resumed job's retention starts from the checkpoints already in the store. */
  static async open(o: CheckpointerOptions): Promise<Checkpointer> {
    const keep = o.spec.checkpoint.keep;
    const retention = o.resumed
      ? await CheckpointRetention.resumed(o.store, keep)
      : CheckpointRetention.fresh(o.store, keep);
    return new Checkpointer(o, retention);
  }

  /** Saves after `step` steps (once per step); `targetTop1` is the target eval at this step. */
  async save(step: number, elapsedSeconds: number, targetTop1?: number): Promise<void> {
    if (this.savedStep === step) return;
    this.savedStep = step;
    const { spec, store, reporter, feed } = this.o;
    const { model, optimizer, tokenizer } = this.o.trainables;
    const parentCheckpoint = spec.growth && parentLabel(spec.growth.parent);
    const info = await saveCheckpoint(store, {
      state: {
        step,
        spec,
        modelConfig: model.config,
        forwardGflops: towerForwardGflops(model.config),
        optimizerStep: optimizer.step,
        data: feed.state(step),
        elapsedSeconds,
        ...(this.o.resumed ? { parent: this.o.resumed.key } : {}),
        ...(parentCheckpoint ? { parentCheckpoint } : {}),
        ...(targetTop1 !== undefined ? { targetTop1 } : {}),
        savedAt: new Date().toISOString(),
      },
      weights: new Map([...model.variables()].map(([k, v]) => [k, v.dataSync() as Float32Array])),
      optimizer: optimizer.exportState().tensors,
      tokenizer: tokenizer.toJSON(),
    });
    await reporter.checkpoint({ step, ...info, ...(parentCheckpoint ? { parentCheckpoint } : {}) });
    const score = targetTop1 !== undefined ? { score: targetTop1 } : {};
    // Retention is housekeeping: a delete that fails is said, and tried again at the next save.
    const gone = await this.retention
      .added({ key: info.key, step, ...score })
      .catch((e: unknown) => {
        reporter.log(`retention: ${(e as Error).message}; trying again at the next checkpoint`);
        return [];
      });
    if (gone.length)
      reporter.log(
        `retention: deleted ${gone.join(', ')} (keeping ${spec.checkpoint.keep} + best)`,
      );
  }
}
