import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateSigningKey } from '../../src/integrity/keyring.js';
import { createPgliteStorage } from '../../src/storage/pglite/create-pglite-storage.js';
import type { SqlStorage } from '../../src/storage/sql/sql-storage.js';
import { launchBrowser, openSignedIn, type Browser } from './support/browser.js';
import { startDashboardServer, type DashboardServer } from './support/dashboard-server.js';
import { buildSeed } from './support/seed.js';

describe('dashboard: integrity of a chained (PGlite) store', () => {
  let dir: string;
  let storage: SqlStorage;
  let server: DashboardServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const buildError = inject('dashboardBuildError');
    if (buildError) throw new Error(`the dashboard did not build: ${buildError}`);
    dir = await mkdtemp(join(tmpdir(), 'auditrail-e2e-integrity-'));
    storage = await createPgliteStorage({
      dataDir: join(dir, 'pglite'),
      searchIndexIntervalMs: 0,
      integrity: { signingKeys: [generateSigningKey().privateKeyPem], checkpointLog: join(dir, 'checkpoints.log'), checkpointEveryRecords: 5, checkpointTimerMs: 0 },
    });
    server = await startDashboardServer({ storage });
    await server.ingest(buildSeed(Date.now(), 0).records);
    await storage.flushCheckpointLog();
    browser = await launchBrowser();
    page = await browser.page();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the last signed checkpoint and verifies the org clean, with progress', async () => {
    await openSignedIn(page, server.url, server.key, '/integrity');
    const checkpoint = page.getByTestId('checkpoint');
    await checkpoint.waitFor();
    expect(await checkpoint.textContent()).toContain('auditrail.checkpoint.v1');
    await page.getByRole('button', { name: 'Run verify' }).click();
    const outcome = page.getByTestId('verify-outcome');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.getAttribute('data-outcome')).toBe('passed');
    expect(await outcome.textContent()).toContain('complete and untouched');
  });

  it('names a record changed in the database', async () => {
    // whichever table holds seq 3
    await storage.driver.query(`UPDATE events SET action_name = 'nothing_happened' WHERE org_id = 'acme' AND seq = 3`);
    await storage.driver.query(`UPDATE interactions SET question = 'nothing happened' WHERE org_id = 'acme' AND seq = 3`);
    await page.reload();
    await page.getByRole('button', { name: 'Run verify' }).click();
    const outcome = page.getByTestId('verify-outcome');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.getAttribute('data-outcome')).toBe('failed');
    expect(await outcome.locator('.problems').textContent()).toMatch(/record-altered/);
  });
});
