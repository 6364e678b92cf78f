import { describe, expect, it } from 'vitest';
import { buildSandboxSpec, gpuFor, MAX_TIMEOUT_MS, sandboxName } from './modal-spec.js';

const req = {
  runId: 'run_01HX',
  attempt: 2,
  apiUrl: 'https://api.curio.example',
  token: 'rt_secret',
  device: 'nvidia-h100',
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
          CURIO_API_URL: 'https://api.curio.example',
          CURIO_RUN_ID: 'run_01HX',
          CURIO_DEVICE: 'nvidia-h100',
        },
        timeoutMs: MAX_TIMEOUT_MS,
        gpu: 'H100',
        name: 'curio-run_01HX-a2',
        tags: { 'curio-run': 'run_01HX', 'curio-attempt': '2' },
      },
    });
    // The token never travels as plain env.
    expect(JSON.stringify(spec.params)).not.toContain('rt_secret');
  });

  it('takes no GPU and does not force a backend for cpu runs', () => {
    const spec = buildSandboxSpec({ ...req, device: 'cpu' }, { image });
    expect(spec.params.gpu).toBeUndefined();
    expect(spec.params.env.CURIO_TF_BACKEND).toBeUndefined();
    expect(spec.params.env.CURIO_DEVICE).toBe('cpu');
  });

  it('applies the options: app, environment, timeout, resources, command, extra env (which cannot replace the run variables)', () => {
    const spec = buildSandboxSpec(req, {
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
    });
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
