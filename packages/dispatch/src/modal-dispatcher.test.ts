// ModalDispatcher against a fake of the SDK client, typed by the real `modal` declarations.
import type { App, Image, Sandbox, SandboxCreateParams, Secret } from 'modal';
import { describe, expect, it } from 'vitest';
import {
  ModalDispatcher,
  type ModalClientLike,
  type SandboxExit,
  type SandboxOutput,
} from './modal-dispatcher.js';
import { buildSandboxSpec } from './modal-spec.js';

function fakeModal() {
  const calls: string[] = [];
  const created: { app: App; image: Image; params: SandboxCreateParams }[] = [];
  const exitCodes = new Map<string, number | null>();
  /** Each sandbox's output: write to it, then end it, as the sandbox would. */
  const output = new Map<string, Record<'stdout' | 'stderr', ReadableStreamDefaultController>>();
  let n = 0;
  const client: ModalClientLike = {
    apps: {
      fromName: async (name, params) => (
        calls.push(`app ${name} ${JSON.stringify(params)}`),
        { appId: `ap-${name}` } as App
      ),
    },
    images: {
      fromRegistry: (tag) => (
        calls.push(`image ${tag}`),
        { imageId: `im-${tag}` } as unknown as Image
      ),
    },
    secrets: {
      fromObject: async (entries) => (
        calls.push(`secret ${Object.keys(entries).join(',')}`),
        { entries } as unknown as Secret
      ),
    },
    sandboxes: {
      create: async (app, image, params = {}) => {
        if (params.gpu === 'B200') throw new Error('no B200 capacity');
        created.push({ app, image, params });
        const sandboxId = `sb-${++n}`;
        exitCodes.set(sandboxId, null);
        const controllers = {} as Record<'stdout' | 'stderr', ReadableStreamDefaultController>;
        const streamOf = (name: 'stdout' | 'stderr') =>
          new ReadableStream<string>({ start: (c) => void (controllers[name] = c) });
        const stdout = streamOf('stdout');
        const stderr = streamOf('stderr');
        output.set(sandboxId, controllers);
        return {
          sandboxId,
          stdout,
          stderr,
          poll: async () => exitCodes.get(sandboxId) ?? null,
          terminate: async () => void calls.push(`terminate ${sandboxId}`),
        } as unknown as Sandbox;
      },
    },
  };
  return { client, calls, created, exitCodes, output };
}

const req = (runId: string, device = 'nvidia-h100') => ({
  runId,
  attempt: 1,
  apiUrl: 'https://api.curio.example',
  token: `tok-${runId}`,
  device,
});
const options = { image: 'ghcr.io/curio/worker:1', appName: 'curio-test' };

describe('ModalDispatcher', () => {
  it('creates the sandbox the spec describes, with the token as a secret', async () => {
    const m = fakeModal();
    const d = new ModalDispatcher({ ...options, capacity: 2, client: m.client });
    expect(d.kind).toBe('modal');
    const handle = await d.dispatch(req('r1'));
    expect(handle).toEqual({ workerId: 'sb-1' });
    expect(m.calls).toEqual([
      'app curio-test {"createIfMissing":true}',
      'image ghcr.io/curio/worker:1',
      'secret CURIO_RUN_TOKEN',
    ]);
    const spec = buildSandboxSpec(req('r1'), options);
    const { secrets, ...params } = m.created[0]!.params;
    expect(params).toEqual(spec.params);
    expect(secrets).toEqual([{ entries: { CURIO_RUN_TOKEN: 'tok-r1' } }]);
    expect(m.created[0]!.app.appId).toBe('ap-curio-test');
    await d.close();
  });

  it('counts live sandboxes against capacity and frees the ones that exited', async () => {
    const m = fakeModal();
    const d = new ModalDispatcher({ ...options, capacity: 2, client: m.client });
    await d.dispatch(req('a'));
    await d.dispatch(req('b'));
    await expect(d.dispatch(req('a'))).rejects.toThrow(/already has a sandbox/);
    await expect(d.dispatch(req('c'))).rejects.toThrow(/at capacity \(2/);
    m.exitCodes.set('sb-1', 0); // a's worker finished
    await d.dispatch(req('c'));
    expect(d.active()).toBe(2);
    await d.terminate('b');
    expect(m.calls).toContain('terminate sb-2');
    expect(d.active()).toBe(1);
    await d.close();
    expect(m.calls).toContain('terminate sb-3');
    expect(d.active()).toBe(0);
  });

  it('rejects with the reason, and uses no capacity, when a sandbox cannot be made', async () => {
    const m = fakeModal();
    const d = new ModalDispatcher({ ...options, capacity: 1, client: m.client });
    await expect(d.dispatch(req('r', 'nvidia-b200'))).rejects.toThrow(
      /cannot start a Modal sandbox for run r: no B200 capacity/,
    );
    await expect(d.dispatch(req('r', 'quantum'))).rejects.toThrow(
      /device "quantum" has no Modal GPU type/,
    );
    expect(d.active()).toBe(0);
    expect(m.created).toHaveLength(0);
  });
});

describe('ModalDispatcher output and exits', () => {
  it("streams each sandbox's lines to onOutput, and reports a sandbox that ended once its output drained", async () => {
    const m = fakeModal();
    const outputs: SandboxOutput[] = [];
    const exits: SandboxExit[] = [];
    const d = new ModalDispatcher({
      ...options,
      capacity: 2,
      client: m.client,
      onOutput: (o) => outputs.push(o),
      onExit: (e) => exits.push(e),
    });
    await d.dispatch(req('r1'));
    const io = m.output.get('sb-1')!;
    io.stdout.enqueue('worker: assignment for r1\nstep 1 loss');
    io.stderr.enqueue('W cuda: PTX JIT\n');
    io.stdout.enqueue(' 2.31\n');
    await new Promise((done) => setTimeout(done, 10));
    m.exitCodes.set('sb-1', 3); // the sandbox ended with code 3; its last line arrives after
    const refreshed = d.refresh();
    io.stdout.enqueue('fatal: out of memory');
    io.stdout.close();
    io.stderr.close();
    await refreshed;
    const lines = (stream: string) =>
      outputs.filter((o) => o.stream === stream).flatMap((o) => o.lines);
    expect(lines('stdout')).toEqual([
      'worker: assignment for r1',
      'step 1 loss 2.31',
      'fatal: out of memory',
    ]);
    expect(lines('stderr')).toEqual(['W cuda: PTX JIT']);
    expect(outputs.every((o) => o.runId === 'r1' && o.attempt === 1 && o.workerId === 'sb-1')).toBe(
      true,
    );
    expect(exits).toEqual([{ runId: 'r1', attempt: 1, workerId: 'sb-1', code: 3 }]);
    expect(d.active()).toBe(0);
    await d.close();
  });

  it('reports no exit for a sandbox it terminated', async () => {
    const m = fakeModal();
    const exits: SandboxExit[] = [];
    const d = new ModalDispatcher({
      ...options,
      capacity: 1,
      client: m.client,
      onExit: (e) => exits.push(e),
    });
    await d.dispatch(req('r2'));
    await d.terminate('r2');
    m.exitCodes.set('sb-1', 137);
    await d.refresh();
    expect(m.calls).toContain('terminate sb-1');
    expect(exits).toEqual([]);
    await d.close();
  });
});
