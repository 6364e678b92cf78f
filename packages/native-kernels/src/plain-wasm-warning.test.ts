import { describe, expect, it } from 'vitest';

import { loadAddon } from './addon.js';
import { MEASURED_TINY_SAMPLES_PER_S, plainWasmWarning } from './plain-wasm-warning.js';

describe('plainWasmWarning', () => {
  it('says how much slower plain wasm is, why the addon is missing and how to fix it', () => {
    const reason =
      'native addon not built (build/Release/curio_native_kernels.node missing): install a C++ toolchain';
    const warning = plainWasmWarning({ ok: false, reason });
    const { plainWasm, nativeKernels } = MEASURED_TINY_SAMPLES_PER_S;
    expect(warning).toContain(`about ${Math.round(nativeKernels / plainWasm)}x slower`);
    expect(warning).toContain(`${plainWasm} instead of ${nativeKernels} samples/s`);
    expect(warning).toMatch(/^SLOW: training runs on plain wasm/);
    expect(warning).toContain(reason);
  });

  it('is silent when the addon loads', () => {
    const load = loadAddon();
    expect(plainWasmWarning(load) === undefined).toBe(load.ok);
  });
});
