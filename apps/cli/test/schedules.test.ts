// curio schedules create|list|show|firings|pause|resume|delete and curio experiments lineage
// against a real API: cron names and macros in a time zone, a bad expression named, a growth
// schedule's "skipped" firing printed, and the lineage tree of a run the test saves checkpoints for.
import { pgTest } from '@curio/testing';
import { expect } from 'vitest';
import { apiGet, cliEnv, serveApi, type ServedApi } from './support/api.js';
import { createCatalog } from './support/catalog.js';
import { curio } from './support/cli.js';

async function workerSaves(api: ServedApi, runId: string, steps: number[]) {
  const { token } = await api.beginAttempt(runId);
  const call = async (method: string, path: string, body: string, type = 'application/json') => {
    const res = await fetch(`${api.url}/v1/worker/runs/${runId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  await call('POST', '/started', JSON.stringify({ attempt: 1, backend: 'wasm', device: 'cpu' }));
  for (const step of steps) {
    const key = `checkpoints/${String(step).padStart(8, '0')}`;
    await call('PUT', `/blobs/${key}/weights.bin`, 'w', 'application/octet-stream');
    const architecture = {
      name: 'tiny',
      image: { depth: 2, width: 32 },
      text: { depth: 2, width: 32 },
    };
    await call('POST', '/checkpoints', JSON.stringify({ step, key, sizeBytes: 1, architecture }));
  }
}

pgTest('schedules through the CLI, and an experiment lineage', async ({ db }) => {
  const api = await serveApi(db);
  try {
    const env = await cliEnv(api);
    await createCatalog(api, env);

    const made = await curio(
      [
        'schedules',
        'create',
        'tiny',
        '--kind',
        'growth',
        '--cron',
        '0 9 * * MON-FRI',
        '--timezone',
        'Europe/Paris',
      ],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(
      /created growth schedule sched_\w+ \(cron 0 9 \* \* MON-FRI Europe\/Paris\)/,
    );
    const id = /sched_\w+/.exec(made.stdout)![0];
    const daily = await curio(['schedules', 'create', 'tiny', '--cron', '@daily', '--json'], env);
    expect(daily.json()).toMatchObject({ kind: 'run', cron: '@daily', timezone: 'UTC' });

    const bad = await curio(['schedules', 'create', 'tiny', '--cron', '0 25 * * *'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/cron "0 25 \* \* \*".*hour/);
    const both = await curio(
      ['schedules', 'create', 'tiny', '--every', '5', '--cron', '@daily'],
      env,
    );
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/exactly one of --every, --at and --cron/);

    const listed = await curio(['schedules', 'list'], env);
    expect(listed.stdout).toMatch(
      new RegExp(`${id}\\s+growth\\s+exp_\\w+\\s+cron 0 9 \\* \\* MON-FRI Europe/Paris\\s+active`),
    );

    // It fires with nothing to grow from: the firing says so, and no run starts.
    expect(await api.fireSchedules(new Date('2027-01-01T00:00:00Z'))).toHaveLength(1); // @daily
    const shown = await curio(['schedules', 'show', id], env);
    expect(shown.stdout).toMatch(/skipped\s+skipped: no checkpoint to grow from/);
    const firings = await curio(['schedules', 'firings', id, '--json'], env);
    expect(firings.json()).toEqual((await apiGet(api, `/v1/schedules/${id}/firings`)).items);

    expect((await curio(['schedules', 'pause', id], env)).stdout).toBe(`paused ${id}\n`);
    expect((await curio(['schedules', 'resume', id], env)).stdout).toMatch(`resumed ${id}; next`);
    expect((await curio(['schedules', 'delete', id], env)).stdout).toBe(`deleted ${id}\n`);
    const gone = await curio(['schedules', 'show', id], env);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(id);

    const empty = await curio(['experiments', 'lineage', 'tiny'], env);
    expect(empty.stdout).toMatch(/experiment exp_\w+ has no checkpoints yet/);
    const run = (await curio(['runs', 'start', 'tiny', '--json'], env)).json();
    await workerSaves(api, run.id, [5, 10]);
    const tree = await curio(['experiments', 'lineage', 'tiny'], env);
    expect(tree.stdout).toMatch(
      new RegExp(
        `^run ${run.id}: steps 5–10, 2 checkpoint\\(s\\), last ckpt_\\w+; tiny: image 2×32, text 2×32\\n$`,
      ),
    );
  } finally {
    await api.close();
  }
});
