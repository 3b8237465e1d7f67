import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedIn } from './support/browser.js';
import { attributes } from './support/dom.js';
import { startE2e, type E2eContext } from './support/e2e-context.js';

const BULK = 40;

describe('dashboard: interactions list', () => {
  let e2e: E2eContext;
  let page: Page;
  const rows = () => page.getByTestId('interaction-row');

  beforeAll(async () => {
    e2e = await startE2e({ bulk: BULK });
    page = await e2e.browser.page();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('lists the latest interactions, newest first, one page at a time', async () => {
    await openSignedIn(page, e2e.server.url, e2e.server.key);
    await expect.poll(() => rows().count()).toBe(50);
    const firstTime = await rows().first().getAttribute('data-id');
    expect(firstTime).toBeTruthy();
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows().count()).toBe(e2e.seed.totals.interactions);
    await expect.poll(() => page.getByTestId('list-count').textContent()).toContain('end of list');
  });

  it('filters by a dimension typed into its field, and keeps the filter in the URL', async () => {
    await openSignedIn(page, e2e.server.url, e2e.server.key);
    await page.getByLabel('Model', { exact: true }).fill('claude-sonnet-4');
    await page.getByLabel('Model', { exact: true }).press('Enter');
    await expect.poll(() => rows().count()).toBe(e2e.seed.totals.byModel['claude-sonnet-4']);
    expect(new URL(page.url()).searchParams.get('model')).toBe('claude-sonnet-4');
    for (const text of await rows().locator('.irow-model').allTextContents()) expect(text).toContain('claude-sonnet-4');
    // a shared link shows the same view
    await page.reload();
    await expect.poll(() => rows().count()).toBe(e2e.seed.totals.byModel['claude-sonnet-4']);
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('claude-sonnet-4');
  });

  it('combines status, user and full-text search filters from a shared URL', async () => {
    await openSignedIn(page, e2e.server.url, e2e.server.key, '/interactions?status=error');
    await expect.poll(() => rows().count()).toBe(e2e.seed.totals.byStatus.error);
    for (const s of await attributes(rows().locator('[data-status]'), 'data-status')) expect(s).toBe('error');

    await page.goto(`${e2e.server.url}/interactions?q=crashlooping+payments-api`);
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-id')).toBe(e2e.seed.showcaseId);

    await page.goto(`${e2e.server.url}/interactions?userId=nobody-at-all`);
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('No interaction matches');
  });

  it('sorts by time both ways', async () => {
    await page.goto(`${e2e.server.url}/interactions?agentId=batch-bot`);
    await expect.poll(() => rows().count()).toBe(BULK);
    const desc = await attributes(rows().locator('.irow-time'), 'title');
    await page.getByTestId('sort-time').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('order')).toBe('asc');
    await expect.poll(async () => (await rows().locator('.irow-time').first().getAttribute('title')) === desc[desc.length - 1]).toBe(true);
    const asc = await attributes(rows().locator('.irow-time'), 'title');
    expect(asc).toEqual([...desc].reverse());
  });

  it('moves through the list with j/k and opens the selected interaction with Enter', async () => {
    await page.goto(`${e2e.server.url}/interactions`);
    await expect.poll(() => rows().count()).toBeGreaterThan(3);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const selected = page.locator('[data-testid="interaction-row"][aria-current="true"]');
    await expect.poll(() => selected.getAttribute('data-row-index')).toBe('1');
    const id = await selected.getAttribute('data-id');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/interactions/${id}`);
    await page.getByTestId('question').waitFor();
  });

  it('shows new interactions live, and stops when paused', async () => {
    await page.goto(`${e2e.server.url}/interactions?agentId=live-agent`);
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('live-toggle').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('live')).toBe('1');
    const record = (question: string) => ({ kind: 'interaction', interactionId: crypto.randomUUID(), timestamp: new Date().toISOString(), sessionId: 'live', agentId: 'live-agent', question, model: 'gpt-4o', status: 'success' });
    await e2e.server.ingest([record('arrived while watching')]);
    await page.getByTestId('interaction-row').filter({ hasText: 'arrived while watching' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('live-toggle').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('live')).toBe(null);
    await e2e.server.ingest([record('arrived while paused')]);
    await page.waitForTimeout(4000);
    expect(await page.getByTestId('interaction-row').filter({ hasText: 'arrived while paused' }).count()).toBe(0);
    expect(await page.getByTestId('interaction-row').count()).toBe(1);
  });
});
