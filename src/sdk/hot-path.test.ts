import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostics.js';
import { createInMemoryExporter } from './in-memory-exporter.js';
import { createAuditLogger, type AuditLogger } from './logger.js';

let logger: AuditLogger;
afterEach(async () => {
  await logger.shutdown();
});

const throwingGetter = Object.defineProperty({ actionName: 'x' }, 'actionId', {
  get() {
    throw new Error('getter exploded');
  },
});
const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('proxy exploded');
    },
  },
);
const circular: Record<string, unknown> = { actionId: 'c', actionName: 'circular' };
circular.actionParams = { self: circular };

const garbage: unknown[] = [null, undefined, 42, 'text', Symbol('s'), 10n, [], {}, () => 1, throwingGetter, throwingProxy, { actionId: 1, actionName: {} }, { kind: 'nope' }];

describe('record path', () => {
  it('never throws into the caller, whatever it is given, and accounts for every call', async () => {
    const exporter = createInMemoryExporter();
    const diagnostics: Diagnostic[] = [];
    logger = createAuditLogger({ exporter, flushOnExit: false, context: { orgId: 'o', userId: 'u', agentId: 'a', sessionId: 's' }, onDiagnostic: (d) => diagnostics.push(d) });
    const methods = ['actionStarted', 'actionCompleted', 'actionFailed', 'actionRejected', 'approvalRequested', 'approvalGranted', 'approvalDenied', 'record', 'recordInteraction'] as const;
    let calls = 0;
    for (const m of methods) {
      for (const input of garbage) {
        expect(() => (logger[m] as (i: unknown) => unknown)(input)).not.toThrow();
        calls++;
      }
    }
    expect(() => logger.interaction(throwingProxy as never).thought('t').end()).not.toThrow();
    expect(() => logger.interaction(null as never).end()).not.toThrow();
    calls += 2;
    // A circular object passes the cheap check; full validation or the sink deal with it later.
    expect(() => logger.actionStarted(circular as never)).not.toThrow();
    calls++;
    await logger.flush();
    await Promise.resolve();
    const s = logger.stats();
    expect(s.recorded).toBe(calls);
    expect(s.recorded).toBe(s.queued + s.inFlight + s.exported + s.rejected + s.dropped + s.spooled);
    expect(s.dropReasons.internal).toBeGreaterThan(0); // the getter and the proxy
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.count > 0 && d.code.startsWith('AUDITRAIL_ERR_'))).toBe(true);
  });

  it('rejects a record missing a required field on the spot, naming the field', async () => {
    const diagnostics: Diagnostic[] = [];
    logger = createAuditLogger({ exporter: createInMemoryExporter(), flushOnExit: false, context: { orgId: 'o', userId: 'u', agentId: 'a' }, onDiagnostic: (d) => diagnostics.push(d) });
    expect(logger.actionStarted({ actionId: 'a1', actionName: 'n' })).toBeUndefined();
    expect(logger.actionStarted({ actionId: 'a1', actionName: '' })).toBeUndefined();
    expect(logger.stats()).toMatchObject({ recorded: 2, rejected: 2, queued: 0 });
    await Promise.resolve();
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('actionStarted(): sessionId: a non-empty string is required'),
      expect.stringContaining('actionStarted(): actionName: a non-empty string is required'),
    ]);
  });

  it('does not copy or change the caller object: it is read when the batch is built', async () => {
    const exporter = createInMemoryExporter();
    logger = createAuditLogger({ exporter, flushOnExit: false, context: { orgId: 'o', userId: 'u', agentId: 'a', sessionId: 's' } });
    const input = { actionId: 'a1', actionName: 'n', actionParams: { k: 1 } };
    const snapshot = structuredClone(input);
    const id = logger.actionStarted(input);
    expect(input).toEqual(snapshot);
    await logger.flush();
    expect(exporter.getEvents()[0]).toMatchObject({ eventId: id, actionParams: { k: 1 } });
  });

  it('folds a burst of identical losses into one diagnostic with a count', async () => {
    const diagnostics: Diagnostic[] = [];
    logger = createAuditLogger({ exporter: createInMemoryExporter(), flushOnExit: false, onDiagnostic: (d) => diagnostics.push(d) });
    for (let i = 0; i < 1_000; i++) logger.actionStarted({ actionId: 'a', actionName: 'n' });
    await Promise.resolve();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ outcome: 'rejected', count: 1_000 });
  });

  it('survives a diagnostic hook that throws', async () => {
    logger = createAuditLogger({
      exporter: createInMemoryExporter(),
      flushOnExit: false,
      onDiagnostic: () => {
        throw new Error('hook bug');
      },
    });
    expect(() => logger.actionStarted({} as never)).not.toThrow();
    await Promise.resolve();
    await Promise.resolve();
    expect(logger.stats().rejected).toBe(1);
  });
});
