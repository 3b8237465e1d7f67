import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: the tests never download a browser. */
export const CHROMIUM_PATH = process.env.AUDITRAIL_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  /** A new tab, sized like a laptop unless told, in the given colour scheme. */
  page(options?: { width?: number; height?: number; colorScheme?: 'light' | 'dark' }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile (--user-data-dir) in a temp dir, removed on close. Tabs
 * share the profile's localStorage: sign in with `#key=` (which overwrites) or call `forgetKey`.
 */
export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'auditrail-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS, viewport: { width: 1440, height: 900 } });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    async page(options = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width: options.width ?? 1440, height: options.height ?? 900 });
      await page.emulateMedia({ colorScheme: options.colorScheme ?? 'light' });
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the dashboard at `path`, signed in with `key` through the `#key=` link. */
export async function openSignedIn(page: Page, baseUrl: string, key: string, path = '/interactions'): Promise<void> {
  await page.goto(`${baseUrl}${path}#key=${encodeURIComponent(key)}`);
}

/** Opens the dashboard signed out (the stored key removed). */
export async function openSignedOut(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  // runs in the page, where localStorage exists (this file is typed for Node)
  await page.evaluate('window.localStorage.clear()');
  await page.reload();
}
