/**
 * `npm run screenshots`: PNGs of every dashboard page, light and dark, laptop and phone widths,
 * into screenshots/ (gitignored), against the real server with the seeded demo data.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, openSignedIn, openSignedOut } from './browser.js';
import { ensureDashboardBuilt } from './dashboard-build.js';
import { startDashboardServer } from './dashboard-server.js';
import { buildSeed } from './seed.js';

const OUT = fileURLToPath(new URL('../../../screenshots/', import.meta.url));
const DEVICES = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;

interface Shot {
  readonly name: string;
  readonly path: string;
  /** Wait for this selector before the shot. */
  readonly ready: string;
  readonly key?: 'seeded' | 'empty' | 'none';
}

async function main(): Promise<void> {
  const build = await ensureDashboardBuilt();
  console.log(`dashboard: ${build === 'built' ? 'built' : 'up to date'}`);
  await mkdir(OUT, { recursive: true });
  const server = await startDashboardServer();
  const browser = await launchBrowser();
  try {
    const seed = buildSeed(Date.now(), 12);
    await server.ingest(seed.records);
    const emptyKey = await server.createKey('newcomer', ['ingest', 'read']);
    const shots: Shot[] = [
      { name: 'login', path: '/', ready: 'form.login-card', key: 'none' },
      { name: 'interactions', path: '/interactions', ready: '[data-testid="interaction-row"]' },
      { name: 'interactions-filtered', path: '/interactions?model=gpt-4o&status=error', ready: '[data-testid="interaction-row"]' },
      { name: 'interactions-empty', path: '/interactions', ready: '[data-testid="empty-state"]', key: 'empty' },
      { name: 'interaction', path: `/interactions/${seed.showcaseId}`, ready: '[data-testid="waterfall"]' },
      { name: 'interaction-large', path: `/interactions/${seed.largeId}`, ready: '[data-testid="tool-call"]' },
      { name: 'interaction-xss', path: `/interactions/${seed.xssId}`, ready: '[data-testid="question"]' },
      { name: 'sessions', path: '/sessions', ready: '[data-testid="sessions-table"]' },
      { name: 'session', path: `/sessions/${seed.showcaseSession}`, ready: '[data-testid="interaction-row"]' },
      { name: 'actions', path: '/actions', ready: '[data-testid="events-table"]' },
      { name: 'actions-pending', path: '/actions?view=pending', ready: '[data-testid="events-table"]' },
      { name: 'actions-denied', path: '/actions?view=denied', ready: '[data-testid="events-table"]' },
      { name: 'analytics', path: '/analytics?range=24h', ready: '.recharts-surface' },
      { name: 'integrity', path: '/integrity', ready: '.empty-state, [data-testid="checkpoint"]' },
    ];
    let count = 0;
    for (const device of DEVICES) {
      for (const theme of THEMES) {
        const page = await browser.page({ width: device.width, height: device.height, colorScheme: theme });
        for (const shot of shots) {
          await open(page, server.url, shot, shot.key === 'empty' ? emptyKey : server.key);
          const file = join(OUT, `${shot.name}-${theme}-${device.name}.png`);
          await page.screenshot({ path: file, fullPage: true });
          count++;
        }
        await page.close();
      }
    }
    console.log(`${count} screenshots in ${OUT}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

async function open(page: Page, baseUrl: string, shot: Shot, key: string): Promise<void> {
  if (shot.key === 'none') await openSignedOut(page, baseUrl);
  else await openSignedIn(page, baseUrl, key, shot.path);
  await page.locator(shot.ready).first().waitFor({ timeout: 15_000 });
  // let charts measure and fonts settle
  await page.waitForTimeout(300);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
