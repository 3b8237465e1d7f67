import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditScope } from './audit-scope.js';

// One store for every integration: the middleware opens a scope, the LLM wrappers find it.
const store = new AsyncLocalStorage<AuditScope>();

/** The interaction of the current request or run (set by the HTTP middleware or runWithAudit). */
export function currentAudit(): AuditScope | undefined {
  return store.getStore();
}

/** Runs `fn` with `scope` as the current interaction (for it and everything it awaits). */
export function runWithAudit<T>(scope: AuditScope, fn: () => T): T {
  return store.run(scope, fn);
}
