import { describe, expect, it } from 'vitest';
import { DEFAULT_MODAL_DEVICE, MODAL_GPU_TABLE } from './modal-gpus.js';
import {
  buildSandboxSpec,
  gpuFor,
  MAX_TIMEOUT_MS,
  sandboxName,
  sandboxTimeoutMs,
  TIMEOUT_GRACE_MS,
} from './modal-spec.js';

const req = {
  runId: 'run_01HX',
  attempt: 2,
  apiUrl: 'https://api.curio.example',
  token: 'rt_secret',
  device: 'nvidia-h100',
  timeLimitSeconds: 3600,
};
const image = 'ghcr.io/curio/worker:1';

describe('buildSandboxSpec', () => {
  it('builds a GPU sandbox that runs the worker with the run environment and the token as a secret', () => {
    const spec = buildSandboxSpec(req, { image });
    expect(spec).toEqual({
      appName: 'curio-workers',
      image,
      secretEnv: { CURIO_RUN_TOKEN: 'rt_secret' },
      params: {
        command: ['curio-train', 'worker'],
        env: {
          CURIO_TF_BACKEND: 'tfjs-node-gpu',
          CUDA_CACHE_MAXSIZE: String(4 * 1024 ** 3), // H100 runs TF 2.9 through PTX JIT
          CURIO_API_URL: 'https://api.curio.example',
          CURIO_RUN_ID: 'run_01HX',
          CURIO_DEVICE: 'nvidia-h100',
        },
        timeoutMs: 3_600_000 + 20 * 60_000, // the run's hour and the grace
        gpu: 'H100',
        name: 'curio-run_01HX-a2',
        tags: { 'curio-run': 'run_01HX', 'curio-attempt': '2' },
      },
    });
    // The token never travels as plain env.
    expect(JSON.stringify(spec.params)).not.toContain('rt_secret');
  });

  it('runs the default device, a T4, natively: no JIT cache needed', () => {
    expect(DEFAULT_MODAL_DEVICE).toBe('nvidia-t4');
    const spec = buildSandboxSpec({ ...req, device: DEFAULT_MODAL_DEVICE }, { image });
    expect(spec.params.gpu).toBe('T4');
    expect(spec.params.env.CURIO_TF_BACKEND).toBe('tfjs-node-gpu');
    expect(spec.params.env.CUDA_CACHE_MAXSIZE).toBeUndefined();
  });

  it('knows which GPUs TF 2.9 has machine code for (up to sm_75) and which need PTX JIT', () => {
    const native = Object.entries(MODAL_GPU_TABLE)
      .filter(([, g]) => g.tfKernels === 'native')
      .map(([device]) => device);
    expect(native).toEqual(['nvidia-t4']);
    expect(MODAL_GPU_TABLE['nvidia-a10g']).toEqual({
      gpu: 'A10G',
      arch: 'sm_86',
      tfKernels: 'ptx-jit',
    });
  });

  it('gives a sandbox the run time limit plus a grace, within the cap', () => {
    expect(sandboxTimeoutMs(undefined)).toBe(MAX_TIMEOUT_MS);
    expect(sandboxTimeoutMs(undefined, 7_200_000)).toBe(7_200_000);
    expect(sandboxTimeoutMs(90.5)).toBe(90_500 + TIMEOUT_GRACE_MS);
    expect(sandboxTimeoutMs(48 * 3600)).toBe(MAX_TIMEOUT_MS);
    expect(sandboxTimeoutMs(3600, 1_800_000)).toBe(1_800_000);
    expect(() => sandboxTimeoutMs(0)).toThrow(/timeLimitSeconds must be a positive number, got 0/);
    expect(() => sandboxTimeoutMs(Number.NaN)).toThrow(/timeLimitSeconds/);
  });

  it('takes no GPU and does not force a backend for cpu runs', () => {
    const spec = buildSandboxSpec({ ...req, device: 'cpu' }, { image });
    expect(spec.params.gpu).toBeUndefined();
    expect(spec.params.env.CURIO_TF_BACKEND).toBeUndefined();
    expect(spec.params.env.CURIO_DEVICE).toBe('cpu');
  });

  it('applies the options: app, environment, timeout, resources, command, extra env (which cannot replace the run variables)', () => {
    const spec = buildSandboxSpec(
      { ...req, timeLimitSeconds: undefined },
      {
        image,
        appName: 'curio-staging',
        environment: 'staging',
        timeoutMs: 3_600_000,
        cpu: 4,
        memoryMiB: 16384,
        command: ['node', '/app/workers/trainer/bin/curio-train.js', 'worker'],
        env: {
          CURIO_TF_BACKEND: 'tfjs-node',
          CURIO_RUN_ID: 'hijack',
          NODE_OPTIONS: '--max-old-space-size=8192',
        },
      },
    );
    expect(spec.appName).toBe('curio-staging');
    expect(spec.environment).toBe('staging');
    expect(spec.params).toMatchObject({
      timeoutMs: 3_600_000,
      cpu: 4,
      memoryMiB: 16384,
      command: ['node', '/app/workers/trainer/bin/curio-train.js', 'worker'],
    });
    expect(spec.params.env).toMatchObject({
      CURIO_TF_BACKEND: 'tfjs-node',
      CURIO_RUN_ID: 'run_01HX',
      NODE_OPTIONS: '--max-old-space-size=8192',
    });
  });

  it('maps every known device kind to a Modal GPU type, with extras from the options', () => {
    expect(gpuFor('nvidia-t4')).toBe('T4');
    expect(gpuFor('nvidia-a100-80gb')).toBe('A100-80GB');
    expect(gpuFor('nvidia-h200')).toBe('H200');
    expect(gpuFor('cpu')).toBeUndefined();
    expect(
      buildSandboxSpec(
        { ...req, device: 'nvidia-h100x2' },
        { image, gpus: { 'nvidia-h100x2': 'H100:2' } },
      ).params.gpu,
    ).toBe('H100:2');
    expect(() => gpuFor('tpu-v5')).toThrow(
      /device "tpu-v5" has no Modal GPU type \(known: cpu, nvidia-t4, .*nvidia-h100/,
    );
  });

  it('refuses requests a sandbox could not serve', () => {
    expect(() => buildSandboxSpec({ ...req, apiUrl: 'http://127.0.0.1:8787' }, { image })).toThrow(
      /loopback address, which a Modal sandbox cannot reach/,
    );
    expect(() => buildSandboxSpec({ ...req, apiUrl: 'http://localhost:8787' }, { image })).toThrow(
      /loopback/,
    );
    expect(() => buildSandboxSpec({ ...req, apiUrl: 'http://[::1]:8787' }, { image })).toThrow(
      /loopback/,
    );
    expect(() => buildSandboxSpec({ ...req, apiUrl: 'ftp://api.example' }, { image })).toThrow(
      /must be http\(s\)/,
    );
    expect(() => buildSandboxSpec({ ...req, apiUrl: 'api.example' }, { image })).toThrow(
      /not a URL/,
    );
    expect(() => buildSandboxSpec({ ...req, token: '' }, { image })).toThrow(
      /token must not be empty/,
    );
    expect(() => buildSandboxSpec({ ...req, attempt: 0 }, { image })).toThrow(
      /attempt must be a positive integer/,
    );
    expect(() => buildSandboxSpec(req, { image: '' })).toThrow(/worker image is required/);
    expect(() => buildSandboxSpec(req, { image, timeoutMs: MAX_TIMEOUT_MS + 1 })).toThrow(
      /between 1 minute and 24 hours/,
    );
    expect(() => buildSandboxSpec(req, { image, timeoutMs: 1000 })).toThrow(
      /between 1 minute and 24 hours/,
    );
  });

  it('names sandboxes per attempt within Modal limits', () => {
    expect(sandboxName({ runId: 'a/b c', attempt: 1 })).toBe('curio-a-b-c-a1');
    const long = sandboxName({ runId: 'x'.repeat(200), attempt: 12 });
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long.endsWith('-a12')).toBe(true);
  });
});
