// Debian's Chromium driven by playwright-core (no browser download): headless, no sandbox (CI
// runs as root in a container), background networking off. Missing Chromium fails, naming the fix.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the dashboard's browser tests need it (apt-get install -y chromium; .ci/run installs it)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}
