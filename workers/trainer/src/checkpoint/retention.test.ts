import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from './blob-store.js';
import { listCheckpoints, saveCheckpoint, type CheckpointState } from './checkpoint.js';
import { CheckpointRetention, checkpointsToDelete } from './retention.js';

const at = (step: number, score?: number) => ({
  key: `checkpoints/${step}`,
  step,
  ...(score !== undefined ? { score } : {}),
});

describe('checkpointsToDelete', () => {
  it('keeps the newest N and the best scored', () => {
    const all = [at(10, 0.2), at(20, 0.6), at(30, 0.4), at(40), at(50, 0.5), at(60)];
    expect(checkpointsToDelete(all, 2)).toEqual([
      'checkpoints/10',
      'checkpoints/30',
      'checkpoints/40',
    ]);
    // The best among the newest keeps N in all; with no scores, only the newest N stay.
    expect(checkpointsToDelete([at(10, 0.1), at(20, 0.3), at(30, 0.2)], 2)).toEqual([
      'checkpoints/10',
    ]);
    expect(checkpointsToDelete([at(30), at(10), at(20)], 1)).toEqual([
      'checkpoints/10',
      'checkpoints/20',
    ]);
    // Ties go to the later checkpoint.
    expect(checkpointsToDelete([at(10, 0.5), at(20, 0.5), at(30)], 1)).toEqual(['checkpoints/10']);
  });
});

describe('CheckpointRetention', () => {
  it('deletes what it lets go as checkpoints arrive, and picks up a resumed run’s scores', async () => {
    const store = new LocalBlobStore(await mkdtemp(join(tmpdir(), 'curio-retention-')));
    const save = async (step: number, targetTop1?: number) => {
      const state = { step, ...(targetTop1 !== undefined ? { targetTop1 } : {}) };
      const { key } = await saveCheckpoint(store, {
        state: { ...state, modelConfig: {}, data: { mode: 'offline', keptIds: [] } } as never,
        weights: new Map([['w', new Float32Array([step])]]),
        optimizer: {},
        tokenizer: {},
      });
      return { key, step, ...(targetTop1 !== undefined ? { score: targetTop1 } : {}) };
    };
    const retention = CheckpointRetention.fresh(store, 2);
    expect(await retention.added(await save(10, 0.9))).toEqual([]);
    expect(await retention.added(await save(20, 0.3))).toEqual([]);
    expect(await retention.added(await save(30))).toEqual([]); // the newest 2 and the best
    expect(await retention.added(await save(40))).toEqual(['checkpoints/00000020']);
    expect(await listCheckpoints(store)).toEqual([
      'checkpoints/00000010',
      'checkpoints/00000030',
      'checkpoints/00000040',
    ]);
    expect(await store.list('checkpoints/00000020')).toEqual([]);

    // A resumed run reads the scores back from state.json: step 10 stays the best.
    const resumed = await CheckpointRetention.resumed(store, 2);
    expect(await resumed.added(await save(50, 0.5))).toEqual(['checkpoints/00000030']);
    expect(await resumed.added(await save(60))).toEqual(['checkpoints/00000040']);
    expect(await listCheckpoints(store)).toEqual([
      'checkpoints/00000010',
      'checkpoints/00000050',
      'checkpoints/00000060',
    ]);

    // A delete that fails is tried again with the next checkpoint.
    let away = true;
    const flaky = Object.assign(Object.create(store) as LocalBlobStore, {
      remove: (key: string) => (away ? Promise.reject(new Error('store away')) : store.remove(key)),
    });
    const retrying = await CheckpointRetention.resumed(flaky, 1);
    await expect(retrying.added(await save(70))).rejects.toThrow('store away');
    away = false;
    expect(await retrying.added(await save(80))).toEqual([
      'checkpoints/00000050',
      'checkpoints/00000060',
      'checkpoints/00000070',
    ]);

    const state: Partial<CheckpointState> = JSON.parse(
      new TextDecoder().decode(await store.get('checkpoints/00000010/state.json')),
    );
    expect(state.targetTop1).toBe(0.9);
  });
});
