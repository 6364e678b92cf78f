// The dashboard in Debian's Chromium against a real API (PGlite, the built dashboard on the same
// origin) and the real trainer on tiny synthetic data: accounts and roles, the catalog forms, a
// live run, curation, cancel, a retry resumed from a checkpoint, compare, CSRF, the team's members,
// and an axe-core check of every page.
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningApi } from '@curio/api/server';
import { scheduleFirings, schedules } from '@curio/db/schema';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yProblems, type AxeProblem } from './support/axe.js';
import {
  createEvalSet,
  createExperiment,
  createMetadataSet,
  createPool,
} from './support/catalog-forms.js';
import { launchChromium } from './support/chromium.js';
import {
  acceptInvite,
  changeMemberRole,
  chartPoints,
  createInvite,
  newPage,
  runIdOf,
  sessionOf,
  signUp,
  until,
} from './support/pages.js';
import { grantDirectory, startDashboardApi, writeSyntheticData } from './support/server.js';

/** Set CURIO_WEB_SCREENSHOTS=<dir> to save every checked page at 1280×800 and 390×844. */
const SHOTS = process.env.CURIO_WEB_SCREENSHOTS;

describe('the dashboard in Chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let dataDir: string;
  let storeDir: string;
  let owner: Page;
  let viewer: Page;
  let experimentUrl: string;
  let runA: string;
  let runB: string;
  const problems: Record<string, AxeProblem[]> = {};

  /** Records the page's serious accessibility problems (and its screenshots when asked). */
  async function check(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle').catch(() => {});
    problems[name] = await seriousA11yProblems(page);
    if (!SHOTS) return;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, `${name}-1280.png`), fullPage: name === 'run' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, `${name}-390.png`) });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing Chromium fails before anything else
    if (SHOTS) await mkdir(SHOTS, { recursive: true });
    dataDir = await writeSyntheticData();
    storeDir = await mkdtemp(join(tmpdir(), 'curio-web-store-'));
    api = await startDashboardApi(storeDir);
    const home = await fetch(`${api.url}/`);
    expect(home.headers.get('content-type'), 'the API serves the built dashboard').toMatch(
      /text\/html/,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close({ stopWorkers: true });
    for (const dir of [dataDir, storeDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has an accessibility check that finds an unlabelled input', async () => {
    const page = await newPage(browser, api.url);
    await page.setContent(
      '<!doctype html><html lang="en"><title>t</title><main><input></main></html>',
    );
    expect((await seriousA11yProblems(page)).map((p) => p.id)).toContain('label');
    await page.context().close();
  });

  it('signs up an owner, who invites a member and a viewer; both join through their links', async () => {
    owner = await newPage(browser, api.url);
    await owner.goto('/login');
    await check(owner, 'login');
    await owner.goto('/signup');
    await check(owner, 'signup');
    await signUp(owner, 'Vision Lab', 'ada@example.com');
    await grantDirectory(api.url, (await sessionOf(owner)).team.id, dataDir);

    const memberLink = await createInvite(owner, 'member');
    const viewerLink = await createInvite(owner, 'viewer');
    await check(owner, 'team');
    const member = await newPage(browser, api.url);
    await acceptInvite(member, memberLink, 'grace@example.com');
    await expect
      .poll(() => member.getByText('grace@example.com · Vision Lab (member)').count())
      .toBe(1);
    viewer = await newPage(browser, api.url);
    await viewer.goto(viewerLink);
    await check(viewer, 'invite');
    await acceptInvite(viewer, viewerLink, 'linus@example.com');
    await member.context().close();

    // The team page lists both; the owner makes Grace a viewer, then removes her.
    await owner.goto('/team');
    await owner.getByRole('cell', { name: 'linus@example.com', exact: true }).waitFor();
    expect(await owner.getByLabel('Role of linus@example.com').inputValue()).toBe('viewer');
    await changeMemberRole(owner, 'grace@example.com', 'viewer');
    await owner.reload();
    expect(await owner.getByLabel('Role of grace@example.com').inputValue()).toBe('viewer');
    await check(owner, 'team-members');
    await owner.getByRole('button', { name: 'Remove grace@example.com' }).click();
    await expect
      .poll(() => owner.getByRole('cell', { name: 'grace@example.com', exact: true }).count())
      .toBe(0);
    await viewer.goto('/team');
    await viewer.getByRole('cell', { name: 'ada@example.com', exact: true }).waitFor();
    expect(await viewer.getByRole('combobox', { name: /^Role of/ }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /^Remove/ }).count()).toBe(0);

    // A one-time login link (what `curio demo` prints) signs a fresh browser in, once.
    const link = await owner.evaluate(async () => {
      const { csrfToken } = await (await fetch('/v1/auth/session')).json();
      const res = await fetch('/v1/auth/login-links', {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: '{}',
      });
      return (await res.json()).url as string;
    });
    const linked = await newPage(browser, api.url);
    await linked.goto(link);
    await linked.getByRole('heading', { name: 'Runs' }).waitFor();
    await linked.context().close();
  });

  it('makes a pool, a metadata set, an eval set and an experiment through the forms', async () => {
    await createPool(owner, dataDir);
    await check(owner, 'pool');
    await createMetadataSet(owner, dataDir);
    await check(owner, 'metadata-set');
    await createEvalSet(owner, dataDir);
    const classes = (await readFile(join(dataDir, 'eval', 'classnames.txt'), 'utf8'))
      .trim()
      .split('\n');
    const row = owner.getByRole('row', { name: /shapes/ });
    await row.getByText(`${classes.length} classes`).waitFor();
    // The synthetic eval set has 3 samples of each class (writeSyntheticData).
    await row.getByRole('cell', { name: String(3 * classes.length), exact: true }).waitFor();
    await row.getByText(`${classes[0]}: 3`).waitFor();
    await check(owner, 'eval-sets');
    await owner.goto('/experiments/new');
    await check(owner, 'experiment-new');
    experimentUrl = await createExperiment(owner, 'tiny-cit', 30);
  });

  it('starts a run whose chart gains points live, and shows its curation rounds', async () => {
    await owner.goto(experimentUrl);
    await check(owner, 'experiment');
    await owner.getByRole('button', { name: 'Start run' }).click();
    await owner.getByText('● live').waitFor({ timeout: 60_000 });
    runA = runIdOf(owner);
    const first = await until(
      () => chartPoints(owner, 'Loss'),
      (n) => n > 0,
    );
    await until(
      () => chartPoints(owner, 'Loss'),
      (n) => n > first,
    ); // no reload: the stream
    await owner.getByRole('button', { name: 'Round 2' }).click({ timeout: 120_000 });
    await owner.getByRole('heading', { name: 'Round 2' }).waitFor();
    expect(await owner.locator('.caption-list li').count()).toBeGreaterThan(0);
    // Each sampled caption shows its image, read by the API from the run's pool shard.
    await owner.locator('#curation .caption-list').first().scrollIntoViewIfNeeded();
    const loaded = await until(
      () =>
        owner.evaluate(() =>
          [...document.querySelectorAll<HTMLImageElement>('#curation img.sample-image')].map(
            (img) => img.complete && img.naturalWidth > 0,
          ),
        ),
      (shown) => shown.length > 0 && shown.every(Boolean),
      30_000,
    );
    expect(loaded.length).toBe(await owner.locator('.caption-list li').count());
    await check(owner, 'run');
  });

  it('shows a viewer no cancel button, and refuses its forged cancel with 403', async () => {
    await viewer.goto(`/runs/${runA}`);
    await viewer.getByRole('heading', { name: `Run ${runA}` }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    const status = await viewer.evaluate(async (id) => {
      const { csrfToken } = await (await fetch('/v1/auth/session')).json();
      const res = await fetch(`/v1/runs/${id}/cancel`, {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: '{}',
      });
      return res.status;
    }, runA);
    expect(status).toBe(403);
  });

  it('refuses a cross-site form post that carries the session cookie but no CSRF token', async () => {
    const evil = await attackerSite(`${api.url}/v1/runs/${runA}/cancel`);
    try {
      const port = (evil.address() as { port: number }).port;
      const answer = owner.waitForResponse((r) => r.url().endsWith(`/v1/runs/${runA}/cancel`));
      await owner.goto(`http://127.0.0.1:${port}/`); // same site (cookie sent), another origin
      expect((await answer).status()).toBe(403);
    } finally {
      evil.close();
    }
    const run = await owner.evaluate(async (id) => (await fetch(`/v1/runs/${id}`)).json(), runA);
    expect(run.status).not.toBe('canceled');
  });

  it('waits for the run to end with evaluations and checkpoints, then cancels a second run', async () => {
    await owner.goto(`/runs/${runA}`);
    await owner.locator('.badge.status-succeeded').waitFor({ timeout: 180_000 });
    await owner.getByText('best').first().waitFor();
    await owner
      .getByRole('link', { name: /Download step \d+/ })
      .first()
      .waitFor();
    // The export for open_clip, made by the trainer's exporter on the server.
    const exportPath = await owner
      .getByRole('link', { name: /Export step \d+ for open_clip/ })
      .last()
      .getAttribute('href');
    const exported = await owner.evaluate(async (path) => {
      const res = await fetch(path!);
      const tar = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, names: new TextDecoder().decode(tar.slice(0, 100)) };
    }, exportPath);
    expect(exported).toMatchObject({
      status: 200,
      names: expect.stringMatching(/^model\.safetensors/),
    });
    await owner.goto(experimentUrl);
    await owner.getByRole('button', { name: 'Start run' }).click();
    await owner.getByText('● live').waitFor();
    runB = runIdOf(owner);
    // Canceled once it has a checkpoint (every 10 of its 30 steps), so a retry can resume.
    await owner
      .getByRole('link', { name: /Download step \d+/ })
      .first()
      .waitFor({ timeout: 120_000 });
    await owner.getByRole('button', { name: 'Cancel run' }).click();
    await owner.locator('.badge.status-canceled').first().waitFor({ timeout: 60_000 });
  });

  it('retries the canceled run from its last checkpoint: the trainer resumes there', async () => {
    const resume = owner.getByLabel(/Resume from the last checkpoint \(step \d+\)/);
    expect(await resume.isChecked()).toBe(true);
    const label = owner.getByText(/Resume from the last checkpoint/);
    const step = /\(step (\d+)\)/.exec((await label.textContent()) ?? '')![1];
    await owner.getByRole('button', { name: 'Retry as a new run' }).click();
    await owner.waitForURL((url) => !url.pathname.endsWith(runB));
    const retried = runIdOf(owner);
    await owner.getByRole('link', { name: `Download step ${step}` }).waitFor();
    await owner.getByLabel('Filter events').fill('resumed from');
    await owner
      .locator('.event-log li', { hasText: `at step ${step}` })
      .waitFor({ timeout: 120_000 });
    await owner.getByRole('button', { name: 'Cancel run' }).click();
    await owner.locator('.badge.status-canceled').first().waitFor({ timeout: 60_000 });
    expect(retried).not.toBe(runB);
  });

  it('compares the two runs: curves overlaid, evaluations and configs side by side', async () => {
    await owner.goto(`/compare?runs=${runA},${runB}`);
    await owner.getByRole('heading', { name: 'Configs' }).waitFor();
    const loss = owner.locator('figure', { has: owner.getByText('Loss', { exact: true }) });
    await expect.poll(() => loss.locator('.u-legend .u-series').count()).toBe(3); // x + 2 runs
    await owner.getByRole('heading', { name: runA }).waitFor();
    await owner.getByRole('heading', { name: runB }).waitFor();
    await check(owner, 'compare');
  });

  it('lists runs, keys (a new secret shown once), schedules; every page passes axe', async () => {
    await owner.goto('/runs');
    await owner.getByRole('link', { name: runA }).waitFor();
    await check(owner, 'runs');
    await owner.goto('/keys');
    await owner.getByLabel('Key name').fill('ci');
    await owner.getByRole('button', { name: 'Create key' }).click();
    expect(await owner.getByTestId('new-key-secret').textContent()).toMatch(/^curio_/);
    await check(owner, 'keys');
    await owner.goto('/schedules');
    await owner.getByLabel('Experiment').selectOption({ label: 'tiny-cit' });
    await owner.getByLabel('Repeat').selectOption('at');
    await owner.getByLabel('Times (HH:MM, comma-separated)').fill('03:00');
    await owner.getByRole('button', { name: 'Create schedule' }).click();
    await owner.getByRole('button', { name: 'Pause' }).click();
    await owner.getByRole('button', { name: 'Resume' }).waitFor();
    await owner.getByText('none yet').waitFor();
    // Two firings that started runs A and B (as the scheduler records them): both are listed.
    const [schedule] = await api.db.select().from(schedules);
    await api.db.insert(scheduleFirings).values(
      [runA, runB].map((runId, i) => ({
        teamId: schedule!.teamId,
        scheduleId: schedule!.id,
        dueAt: new Date(Date.UTC(2026, 0, 1 + i, 3)),
        outcome: 'started' as const,
        runId,
        message: 'started',
        firedAt: new Date(Date.UTC(2026, 0, 1 + i, 3)),
      })),
    );
    await owner.reload();
    const started = owner.getByRole('list', { name: /^Runs started by the schedule/ });
    for (const id of [runA, runB]) await started.getByRole('link', { name: id }).waitFor();
    await check(owner, 'schedules');
    for (const path of ['/experiments', '/pools', '/metadata-sets']) {
      await owner.goto(path);
      await check(owner, path.slice(1));
    }
    expect(problems).toEqual(Object.fromEntries(Object.keys(problems).map((k) => [k, []])));
  });
});

/** A page on another origin of the same site that posts a form to `action` as it loads. */
function attackerSite(action: string): Promise<Server> {
  const html = `<!doctype html><html lang="en"><title>x</title><form method="post" action="${action}"></form><script>document.forms[0].submit()</script></html>`;
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(html),
  );
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
