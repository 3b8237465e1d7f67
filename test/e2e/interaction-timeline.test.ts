import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedIn } from './support/browser.js';
import { attributes } from './support/dom.js';
import { startE2e, type E2eContext } from './support/e2e-context.js';

describe('dashboard: one interaction as a timeline', () => {
  let e2e: E2eContext;
  let page: Page;

  beforeAll(async () => {
    e2e = await startE2e();
    page = await e2e.browser.page();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('shows the question, thoughts and tool calls in order, with a waterfall bar per call', async () => {
    await openSignedIn(page, e2e.server.url, e2e.server.key, `/interactions/${e2e.seed.showcaseId}`);
    await page.getByTestId('waterfall').waitFor();
    expect(await page.getByTestId('question').textContent()).toContain('payments-api is crashlooping in prod-eu');
    expect(await page.getByTestId('waterfall-bar').count()).toBe(3);
    const calls = page.getByTestId('tool-call');
    expect(await calls.count()).toBe(3);
    expect(await calls.nth(0).textContent()).toContain('kubectl_get_pods');
    expect(await calls.nth(0).textContent()).toContain('CrashLoopBackOff (OOMKilled)');
    expect(await calls.nth(2).textContent()).toContain('"replicas": 12');
    // think, act, think, act, think, act
    const kinds = await attributes(page.locator('.steps > article'), 'data-testid');
    expect(kinds).toEqual(['thought', 'tool-call', 'thought', 'tool-call', 'thought', 'tool-call']);
    // the bars sit on the time axis: the later call starts further right
    const lefts = (await attributes(page.locator('.wf-bar'), 'style')).map((style) => parseFloat(/left:\s*([\d.]+)%/.exec(style ?? '')?.[1] ?? 'NaN'));
    expect(lefts[0]).toBeLessThan(lefts[1]!);
    expect(lefts[1]).toBeLessThan(lefts[2]!);
  });

  it('shows who granted or denied each approval, when and why', async () => {
    const approvals = page.getByTestId('approval');
    expect(await approvals.count()).toBe(2);
    const granted = await approvals.nth(0).textContent();
    expect(granted).toContain('granted');
    expect(granted).toContain('bob');
    expect(granted).toContain('known OOM issue, restart is safe');
    const denied = await approvals.nth(1).textContent();
    expect(denied).toContain('denied');
    expect(denied).toContain('carol');
    expect(denied).toContain('change freeze until Monday');
    expect(denied).toContain('Rejected');
    expect(await page.getByTestId('final-answer').textContent()).toContain('Scaling to 12 replicas was denied by carol');
    expect(await page.getByTestId('tokens').textContent()).toContain('2,780');
  });

  it('links to the raw action events of the interaction', async () => {
    await page.getByTestId('raw-events-link').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('interactionId')).toBe(e2e.seed.showcaseId);
    await page.getByTestId('events-table').waitFor();
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(7);
    const types = await attributes(page.getByTestId('event-row'), 'data-event-type');
    expect(types).toContain('approval_denied');
    expect(types).toContain('action_rejected');
  });

  it('links to its session, which lists who, from where, and its interactions in order', async () => {
    await page.goto(`${e2e.server.url}/interactions/${e2e.seed.showcaseId}`);
    await page.getByTestId('session-link').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/sessions/${e2e.seed.showcaseSession}`);
    await page.getByTestId('interaction-row').first().waitFor();
    const head = await page.locator('.session-head').textContent();
    expect(head).toContain('alice');
    expect(head).toContain('192.0.2.10');
    expect(head).toContain('Mozilla/5.0 (Macintosh)');
    expect(await page.getByTestId('interaction-row').first().getAttribute('data-id')).toBe(e2e.seed.showcaseId);
  });

  it('renders a question containing <script> as text, never as HTML', async () => {
    await page.goto(`${e2e.server.url}/interactions/${e2e.seed.xssId}`);
    const question = page.getByTestId('question');
    await question.waitFor();
    expect(await question.textContent()).toContain(e2e.seed.xssQuestion);
    expect(await question.locator('script, img, b').count()).toBe(0);
    expect(await page.getByTestId('final-answer').locator('img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    // and in the list
    await page.goto(`${e2e.server.url}/interactions?userId=mallory`);
    await page.getByTestId('interaction-row').first().waitFor();
    expect(await page.getByTestId('interaction-row').first().textContent()).toContain('<script>window.__xss = 1</script>');
    expect(await page.getByTestId('interaction-row').locator('script, img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
  });

  it('collapses large payloads and expands them on demand', async () => {
    await page.goto(`${e2e.server.url}/interactions/${e2e.seed.largeId}`);
    const call = page.getByTestId('tool-call').first();
    await call.waitFor();
    const observation = call.locator('.payload').nth(1);
    const collapsed = (await observation.locator('pre').textContent()) ?? '';
    expect(collapsed.length).toBeLessThan(1000);
    const box = await call.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(1440);
    await observation.getByRole('button', { name: /Show all/ }).click();
    await expect.poll(async () => ((await observation.locator('pre').textContent()) ?? '').length).toBeGreaterThan(200_000);
    // the page never scrolls sideways
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });
});
