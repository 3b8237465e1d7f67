import { inject } from 'vitest';
import { launchBrowser, type Browser } from './browser.js';
import { startDashboardServer, type DashboardServer } from './dashboard-server.js';
import { buildSeed, type Seed } from './seed.js';

export interface E2eContext {
  readonly server: DashboardServer;
  readonly browser: Browser;
  readonly seed: Seed;
  close(): Promise<void>;
}

/** A real server with the seeded org `acme`, and a headless Chromium. */
export async function startE2e(options: { bulk?: number } = {}): Promise<E2eContext> {
  const buildError = inject('dashboardBuildError');
  if (buildError) throw new Error(`the dashboard did not build: ${buildError}`);
  const server = await startDashboardServer();
  let browser: Browser | undefined;
  try {
    const seed = buildSeed(Date.now(), options.bulk ?? 0);
    await server.ingest(seed.records);
    browser = await launchBrowser();
    const b = browser;
    return { server, browser: b, seed, close: async () => { await b.close(); await server.close(); } };
  } catch (err) {
    await browser?.close();
    await server.close();
    throw err;
  }
}
