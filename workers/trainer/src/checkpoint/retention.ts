// Checkpoint retention, applied as the run goes: the newest `keep` checkpoints stay, and so does
// the best by the target eval (zero-shot top-1 on the eval set the stop target names, else the
// first); the others are deleted from the store (in worker mode the API deletes their records).
import type { BlobStore } from './blob-store.js';
import { listCheckpoints, readCheckpointState } from './checkpoint.js';

export interface RetainedCheckpoint {
  key: string;
  step: number;
  /** Target eval top-1 at this step, when it was evaluated. */
  score?: number;
}

/** Keys to delete: all but the newest `keep` by step and the best scored (ties: the later). */
export function checkpointsToDelete(
  checkpoints: readonly RetainedCheckpoint[],
  keep: number,
): string[] {
  const byStep = [...checkpoints].sort((a, b) => a.step - b.step);
  const kept = new Set(byStep.slice(-keep).map((c) => c.key));
  let best: RetainedCheckpoint | undefined;
  for (const c of byStep)
    if (c.score !== undefined && (best?.score === undefined || c.score >= best.score)) best = c;
  if (best) kept.add(best.key);
  return byStep.filter((c) => !kept.has(c.key)).map((c) => c.key);
}

export class CheckpointRetention {
  private constructor(
    private readonly store: BlobStore,
    private readonly keep: number,
    private checkpoints: RetainedCheckpoint[],
  ) {}

  /** Retention over the checkpoints a resumed run finds in its store (their scores included). */
  static async resumed(store: BlobStore, keep: number): Promise<CheckpointRetention> {
    const found: RetainedCheckpoint[] = [];
    for (const key of await listCheckpoints(store)) {
      const { step, targetTop1 } = await readCheckpointState(store, key);
      found.push({ key, step, ...(targetTop1 !== undefined ? { score: targetTop1 } : {}) });
    }
    return new CheckpointRetention(store, keep, found);
  }

  static fresh(store: BlobStore, keep: number): CheckpointRetention {
    return new CheckpointRetention(store, keep, []);
  }

  /**
   * Records a new checkpoint and deletes those retention lets go; returns their keys. A delete
   * that fails throws, and the checkpoints not yet deleted are tried again next time.
   */
  async added(c: RetainedCheckpoint): Promise<string[]> {
    this.checkpoints = [...this.checkpoints.filter((x) => x.key !== c.key), c];
    const gone = checkpointsToDelete(this.checkpoints, this.keep);
    for (const key of gone) {
      await this.store.remove(key);
      this.checkpoints = this.checkpoints.filter((x) => x.key !== key);
    }
    return gone;
  }
}
