// ModalDispatcher against a fake of the SDK client, typed by the real `modal` declarations.
import type { App, Image, Sandbox, SandboxCreateParams, Secret } from 'modal';
import { describe, expect, it } from 'vitest';
import { ModalDispatcher, type ModalClientLike } from './modal-dispatcher.js';
import { buildSandboxSpec } from './modal-spec.js';

function fakeModal() {
  const calls: string[] = [];
  const created: { app: App; image: Image; params: SandboxCreateParams }[] = [];
  const exitCodes = new Map<string, number | null>();
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
        return {
          sandboxId,
          poll: async () => exitCodes.get(sandboxId) ?? null,
          terminate: async () => void calls.push(`terminate ${sandboxId}`),
        } as unknown as Sandbox;
      },
    },
  };
  return { client, calls, created, exitCodes };
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
