// LocalDispatcher with a real child process: a tiny node script stands in for the trainer.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDispatcher, type WorkerExit } from './local-dispatcher.js';
import { trainerBinPath } from './trainer-bin.js';

// Prints what it was given; run id `exit-N` exits with N at once, anything else lives until killed
// and starts a grandchild (to check that terminate reaches the whole process group).
const FAKE_WORKER = `
const { spawn } = require('node:child_process');
const id = process.env.CURIO_RUN_ID;
const grandchild = id.startsWith('exit-') ? undefined : spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log(JSON.stringify({ argv: process.argv.slice(1), url: process.env.CURIO_API_URL, run: id, token: process.env.CURIO_RUN_TOKEN,
  device: process.env.CURIO_DEVICE, extra: process.env.EXTRA, db: process.env.DATABASE_URL ?? null, grandchild: grandchild?.pid }));
if (id.startsWith('exit-')) process.exit(Number(id.slice(5)));
setInterval(() => {}, 1000);
`;

const dispatchers: LocalDispatcher[] = [];
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.close()));
});

async function fakeDispatcher(capacity: number, exits: WorkerExit[] = []) {
  const logDir = await mkdtemp(join(tmpdir(), 'curio-dispatch-'));
  const d = new LocalDispatcher({
    capacity,
    command: [process.execPath, '-e', FAKE_WORKER, 'worker'],
    logDir,
    env: { EXTRA: 'yes' },
    killAfterMs: 2000,
    onExit: (e) => exits.push(e),
  });
  dispatchers.push(d);
  return d;
}

const req = (runId: string) => ({
  runId,
  attempt: 1,
  apiUrl: 'http://127.0.0.1:9',
  token: `tok-${runId}`,
  device: 'cpu',
});

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat); // a zombie is as good as gone
};

function logged(d: LocalDispatcher, runId: string): Record<string, unknown> | undefined {
  const file = d.logFile(runId);
  const text = file && existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return text ? (JSON.parse(text.split('\n')[0]!) as Record<string, unknown>) : undefined;
}

describe('LocalDispatcher', () => {
  it('starts a worker with the run environment, logs to a file and frees capacity on exit', async () => {
    const exits: WorkerExit[] = [];
    const d = await fakeDispatcher(2, exits);
    const handle = await d.dispatch({ ...req('exit-3'), device: 'nvidia-h100' });
    expect(Number(handle.workerId)).toBeGreaterThan(0);
    await until(() => exits.length === 1, 'the worker to exit');
    expect(exits[0]).toMatchObject({
      runId: 'exit-3',
      attempt: 1,
      workerId: handle.workerId,
      code: 3,
      signal: null,
    });
    expect(d.active()).toBe(0);
    const out = JSON.parse(readFileSync(exits[0]!.logFile, 'utf8').trim()) as Record<
      string,
      unknown
    >;
    expect(out).toMatchObject({
      argv: ['worker'],
      url: 'http://127.0.0.1:9',
      run: 'exit-3',
      token: 'tok-exit-3',
      device: 'nvidia-h100',
      extra: 'yes',
    });
  });

  it('honours its capacity and refuses a second worker for the same run', async () => {
    const d = await fakeDispatcher(2);
    await d.dispatch(req('a'));
    await expect(d.dispatch(req('a'))).rejects.toThrow(/run a already has a worker/);
    await d.dispatch(req('b'));
    expect(d.active()).toBe(2);
    await expect(d.dispatch(req('c'))).rejects.toThrow(/at capacity \(2/);
    await d.terminate('a');
    expect(d.active()).toBe(1);
    await d.dispatch(req('c'));
    expect(d.active()).toBe(2);
  });

  it('terminates the whole process group, and a worker killed from outside frees its slot', async () => {
    const exits: WorkerExit[] = [];
    const d = await fakeDispatcher(1, exits);
    const { workerId } = await d.dispatch(req('long'));
    await until(() => logged(d, 'long') !== undefined, 'the worker to start');
    const grandchild = logged(d, 'long')!.grandchild as number;
    expect(alive(grandchild)).toBe(true);
    await d.terminate('long');
    expect(exits.at(-1)).toMatchObject({ runId: 'long', workerId, signal: 'SIGTERM' });
    await until(() => !alive(grandchild), 'the grandchild to die');
    await d.terminate('long'); // gone already: nothing to do

    const second = await d.dispatch(req('killed'));
    process.kill(Number(second.workerId), 'SIGKILL'); // what a crash or the e2e "kill the worker" test does
    await until(() => d.active() === 0, 'the killed worker to be noticed');
    expect(exits.at(-1)).toMatchObject({ runId: 'killed', signal: 'SIGKILL' });
  });

  it('close() stops every worker', async () => {
    const d = await fakeDispatcher(3);
    await Promise.all(['x', 'y', 'z'].map((id) => d.dispatch(req(id))));
    expect(d.active()).toBe(3);
    await d.close();
    expect(d.active()).toBe(0);
  });

  it('rejects with the reason when the worker cannot start', async () => {
    const d = new LocalDispatcher({
      capacity: 1,
      command: ['/nonexistent/curio-train'],
      logDir: await mkdtemp(join(tmpdir(), 'curio-dispatch-')),
    });
    await expect(d.dispatch(req('r'))).rejects.toThrow(
      /cannot start worker for run r \(\/nonexistent\/curio-train\): .*ENOENT/,
    );
    expect(d.active()).toBe(0);
  });

  it('finds the trainer bin by default', () => {
    const bin = trainerBinPath();
    expect(bin).toMatch(/workers\/trainer\/bin\/curio-train\.js$/);
    expect(existsSync(bin)).toBe(true);
  });
});
