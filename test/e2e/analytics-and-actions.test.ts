import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedIn } from './support/browser.js';
import { attributes } from './support/dom.js';
import { startE2e, type E2eContext } from './support/e2e-context.js';

const number = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

describe('dashboard: analytics, actions and integrity', () => {
  let e2e: E2eContext;
  let page: Page;

  beforeAll(async () => {
    e2e = await startE2e({ bulk: 5 });
    page = await e2e.browser.page();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('renders the charts with the totals of the seeded data', async () => {
    await openSignedIn(page, e2e.server.url, e2e.server.key, '/analytics?range=24h');
    await page.getByTestId('total-interactions').waitFor();
    const t = e2e.seed.totals;
    expect(number(await page.getByTestId('total-interactions').textContent())).toBe(t.interactions);
    expect(number(await page.getByTestId('total-errors').textContent())).toBe(t.errors);
    expect(await page.getByTestId('total-tokens').locator('..').textContent()).toContain(`${t.inputTokens.toLocaleString('en-US')} in · ${t.outputTokens.toLocaleString('en-US')} out`);
    // every chart drew its SVG, the volume chart one bar per non-empty bucket and series
    for (const id of ['chart-volume', 'chart-error-rate', 'chart-latency', 'chart-tokens', 'chart-failing-tools', 'chart-group-latency']) {
      await page.getByTestId(id).locator('svg.recharts-surface').first().waitFor();
    }
    expect(await page.getByTestId('chart-volume').locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('chart-failing-tools').textContent()).toContain('scale_deployment');
    // the per-model table adds up to the total
    const counts = await page.getByTestId('group-table').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(counts.map(number).reduce((a, b) => a + b, 0)).toBe(t.interactions);
    const models = await page.getByTestId('group-table').locator('tbody tr td:first-child').allTextContents();
    expect(models.sort()).toEqual(Object.keys(t.byModel).sort());
  });

  it('groups latency by agent or tool on request, keeping the choice in the URL', async () => {
    await page.getByLabel('Group by').selectOption('tool');
    await expect.poll(() => new URL(page.url()).searchParams.get('by')).toBe('tool');
    await expect.poll(async () => (await page.getByTestId('group-table').locator('tbody tr td:first-child').allTextContents()).sort()).toEqual(
      ['kubectl_get_events', 'kubectl_get_pods', 'prometheus_query', 'restart_deployment', 'scale_deployment'],
    );
  });

  it('lists pending and denied approvals and rejected actions', async () => {
    await page.goto(`${e2e.server.url}/actions?view=pending`);
    await page.getByTestId('events-table').waitFor();
    const pending = page.getByTestId('event-row');
    await expect.poll(() => pending.count()).toBe(1);
    expect(await pending.first().textContent()).toContain('drain_node');

    await page.getByRole('button', { name: 'Denied approvals' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('denied');
    await expect.poll(() => attributes(page.getByTestId('event-row'), 'data-event-type')).toEqual(['approval_denied']);
    expect(await page.getByTestId('event-row').first().textContent()).toContain('change freeze until Monday');

    await page.getByRole('button', { name: 'Rejected actions' }).click();
    await expect.poll(() => attributes(page.getByTestId('event-row'), 'data-event-type')).toEqual(['action_rejected']);
    await page.getByTestId('event-row').first().click();
    expect(await page.locator('.event-detail').textContent()).toContain('"namespace": "payments"');
  });

  it('filters the event stream and hides the server’s own access records unless asked', async () => {
    await page.goto(`${e2e.server.url}/actions?actionName=restart_deployment`);
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(4);
    await page.goto(`${e2e.server.url}/actions`);
    await page.getByTestId('events-table').waitFor();
    const seededEvents = e2e.seed.records.filter((r) => (r as { kind: string }).kind === 'event').length;
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(seededEvents);
    await page.getByLabel(/Include the server/).check();
    await expect.poll(() => page.getByTestId('event-row').count()).toBeGreaterThan(seededEvents);
  });

  it('says plainly when the server keeps no integrity chain (memory storage)', async () => {
    await page.goto(`${e2e.server.url}/integrity`);
    await page.getByTestId('integrity-unavailable').waitFor();
    expect(await page.getByTestId('empty-state').textContent()).toContain('not available on this server');
  });
});
