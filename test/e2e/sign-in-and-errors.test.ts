import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openSignedIn, openSignedOut, type Browser } from './support/browser.js';
import { startDashboardServer, type DashboardServer } from './support/dashboard-server.js';

describe('dashboard: signing in, first run and error states', () => {
  let server: DashboardServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startDashboardServer();
    browser = await launchBrowser();
    page = await browser.page();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong API key on the sign-in screen with a clear message', async () => {
    await openSignedOut(page, server.url);
    await page.getByLabel('API key').fill('atr_0000000000000000_this-key-does-not-exist-at-all-0000000000000');
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('unauthorized');
    expect(await error.textContent()).toContain('The server rejected this API key');
    expect(await page.evaluate("window.localStorage.getItem('auditrail.apiKey')")).toBe(null);
  });

  it('signs in with a good key, keeps it, and signs out', async () => {
    await page.getByLabel('API key').fill(server.key);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.getByRole('heading', { name: 'Interactions', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Interactions', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate("window.localStorage.getItem('auditrail.apiKey')")).toBe(null);
  });

  it('shows a new user how to send a first event when the org has none', async () => {
    await openSignedIn(page, server.url, server.key);
    const empty = page.getByTestId('empty-state');
    await empty.waitFor();
    const text = (await empty.textContent()) ?? '';
    expect(text).toContain('No interactions recorded yet');
    expect(text).toContain(`curl -X POST ${server.url}/v1/events`);
    // the key never stays in the address bar
    expect(page.url()).not.toContain(server.key);
    // the command works as printed
    const command = (await empty.locator('pre').textContent())!.split('\n').filter((l) => !l.startsWith('export ')).join('\n');
    await promisify(execFile)('sh', ['-c', `${command} --fail --silent --show-error`], { env: { ...process.env, AUDITRAIL_KEY: server.key } });
    await page.reload();
    await page.getByTestId('interaction-row').first().waitFor();
    expect(await page.getByTestId('interaction-row').first().textContent()).toContain('Which pods are restarting?');
  });

  it('explains a revoked key in place, with a way to enter another', async () => {
    await openSignedIn(page, server.url, 'atr_1111111111111111_revoked-or-wrong-key-000000000000000000000000', '/analytics');
    const error = page.getByTestId('error-state');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('unauthorized');
    await page.getByRole('button', { name: 'Enter another key' }).click();
    await page.getByLabel('API key').waitFor();
  });

  it('explains a key without the read scope (403)', async () => {
    const ingestOnly = await server.createKey('acme', ['ingest']);
    await openSignedIn(page, server.url, ingestOnly, '/sessions');
    const error = page.getByTestId('error-state');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('forbidden');
    expect(await error.textContent()).toContain('needs the "read" scope');
  });

  it('says when the server cannot be reached', async () => {
    await openSignedIn(page, server.url, server.key, '/sessions');
    await page.locator('[data-testid="sessions-table"], [data-testid="empty-state"]').first().waitFor();
    await server.close();
    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    const error = page.getByTestId('error-state');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('unreachable');
    expect(await error.textContent()).toContain('Cannot reach the auditrail server');
  });
});
