// What a person does in the dashboard, as Playwright steps: sign up, accept an invite, fill the
// catalog forms, read a chart's point count. Every step finds its control by its label or role.
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';

export const PASSWORD = 'correct horse battery';

export async function newPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

export async function signUp(page: Page, teamName: string, email: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Team name').fill(teamName);
  await page.getByLabel('Your name').fill('Ada');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.getByRole('heading', { name: 'Runs' }).waitFor();
}

/** The link of a new invite with `role`, created on the team page. */
export async function createInvite(page: Page, role: string): Promise<string> {
  await page.goto('/team');
  await page.getByLabel('Invite role').selectOption(role);
  await page.getByRole('button', { name: 'Create invite link' }).click();
  return (await page.getByTestId('invite-link').textContent({ timeout: 10_000 }))!.trim();
}

export async function acceptInvite(page: Page, link: string, email: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('heading', { name: 'Runs' }).waitFor();
}

/** The session's CSRF token and team, read as the page's own script would. */
export function sessionOf(page: Page): Promise<{ csrfToken: string; team: { id: string } }> {
  return page.evaluate(async () => (await fetch('/v1/auth/session')).json());
}

/** How many points the chart titled `title` draws now. */
export async function chartPoints(page: Page, title: string): Promise<number> {
  const canvas = page
    .locator('figure', { has: page.getByText(title, { exact: true }) })
    .locator('.chart-canvas');
  return Number((await canvas.first().getAttribute('data-points')) ?? 0);
}

/** Waits until `read()` passes `ok`, polling; fails with the last value. */
export async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      expect.fail(`waited ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The run id of the run page `page` shows. */
export function runIdOf(page: Page): string {
  const match = /\/runs\/(run_\w+)/.exec(page.url());
  if (!match) throw new Error(`not a run page: ${page.url()}`);
  return match[1]!;
}

/** On the team page: set a member's role (an owner's select), waiting for the list to show it. */
export async function changeMemberRole(page: Page, email: string, role: string): Promise<void> {
  const select = page.getByLabel(`Role of ${email}`);
  const saved = page.waitForResponse(
    (r) => r.request().method() === 'PATCH' && r.url().includes('/v1/teams/current/members/'),
  );
  await select.selectOption(role);
  expect((await saved).status()).toBe(200);
  await expect.poll(() => select.inputValue()).toBe(role);
}
