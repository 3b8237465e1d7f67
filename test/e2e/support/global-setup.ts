import type { TestProject } from 'vitest/node';
import { ensureDashboardBuilt } from './dashboard-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the dashboard could not be built, or null: the browser tests report it, others ignore it. */
    dashboardBuildError: string | null;
  }
}

/**
 * vitest globalSetup: builds dashboard/dist if it is missing or stale. A failed build does not
 * fail unrelated test files; the browser tests fail with its message instead.
 */
export default async function setup(project: TestProject): Promise<void> {
  try {
    await ensureDashboardBuilt();
    project.provide('dashboardBuildError', null);
  } catch (err) {
    project.provide('dashboardBuildError', err instanceof Error ? err.message : String(err));
  }
}
