import * as tf from '@tensorflow/tfjs';
import { loadAddon } from '@curio/native-kernels';
import { afterAll, describe, expect, it } from 'vitest';

import { selectBackend } from './select-backend.js';

const addon = loadAddon();

function logger() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}

describe('selectBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('forces cpu', async () => {
    const { lines, log } = logger();
    const selected = await selectBackend({ forced: 'cpu', log });
    expect(selected).toEqual({ name: 'cpu', reason: 'forced', nativeKernels: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(lines).toEqual(['backend: cpu (forced)']);
  });

  it('forces plain wasm, with the fallback kernels that make embedding gradients work', async () => {
    const { lines, log } = logger();
    const selected = await selectBackend({ forced: 'wasm', log });
    expect(selected.name).toBe('wasm');
    expect(selected.nativeKernels).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
    expect(lines[0]).toMatch(/^backend: wasm \(forced\) — fallback kernels: UnsortedSegmentSum/);
    const table = tf.ones([4, 2]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([1, 1, 3], 'int32'))))(
      table,
    );
    expect(Array.from(await grad.data())).toEqual([0, 0, 2, 2, 0, 0, 1, 1]);
  });

  it('fails clearly when the forced backend is unavailable', async () => {
    await expect(selectBackend({ forced: 'tfjs-node-gpu', log: () => {} })).rejects.toThrow(
      'tfjs backend "tfjs-node-gpu" was forced but is unavailable: tfjs-node-gpu not installed',
    );
    await expect(selectBackend({ forced: 'metal', log: () => {} })).rejects.toThrow(
      /unknown tfjs backend "metal"/,
    );
  });

  it.skipIf(addon.ok)(
    'forcing wasm-native fails with the reason when the addon is not built (runs only there)',
    async () => {
      await expect(selectBackend({ forced: 'wasm-native', log: () => {} })).rejects.toThrow(
        /native addon not built/,
      );
    },
  );

  it.skipIf(!addon.ok)('names the GEMM the native kernels run on', async () => {
    const { lines, log } = logger();
    await selectBackend({ forced: 'wasm-native', log, nativeKernels: { gemm: 'builtin' } });
    expect(lines).toEqual([
      expect.stringMatching(
        /^backend: wasm \+ native kernels \(forced\) — built-in GEMM, (AVX-512|AVX2\+FMA|portable), \d+ threads$/,
      ),
    ]);
  });

  it('picks the best available backend and logs why the better ones were skipped', async () => {
    const { lines, log } = logger();
    const selected = await selectBackend({ log });
    const expected = addon.ok ? 'wasm-native' : 'wasm';
    expect(selected.name).toBe(expected);
    expect(selected.reason).toMatch(/^tfjs-node-gpu not installed; tfjs-node not installed/);
    expect(lines).toHaveLength(1);
    if (addon.ok) {
      expect(lines[0]).toMatch(
        /^backend: wasm \+ native kernels \(tfjs-node-gpu not installed; tfjs-node not installed\) — (OpenBLAS|built-in GEMM)/,
      );
      expect(selected.nativeKernels).toContain('BatchMatMul');
    } else {
      expect(lines[0]).toMatch(/^backend: wasm \(.*native addon not built/);
    }
  });

  it('takes tfjs-node when it imports and registers its backend', async () => {
    const registered: string[] = [];
    const fakeTf = {
      ...tf,
      setBackend: async (name: string) => (registered.push(name), name === 'tensorflow'),
    } as typeof tf;
    const importModule = async (specifier: string) => {
      if (specifier === '@tensorflow/tfjs-node') return {};
      throw Object.assign(new Error(`Cannot find package '${specifier}'`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    };
    const { lines, log } = logger();
    const selected = await selectBackend({ log, tf: fakeTf, importModule });
    expect(selected).toEqual({
      name: 'tfjs-node',
      reason: 'tfjs-node-gpu not installed',
      nativeKernels: [],
    });
    expect(registered).toEqual(['tensorflow']);
    expect(lines).toEqual(['backend: tfjs-node (tfjs-node-gpu not installed)']);
  });
});
