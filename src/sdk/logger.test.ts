import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage, isAuditrailError, type MemoryStorage } from '../core/index.js';
import type { Diagnostic } from './diagnostics.js';
import { createInMemoryExporter } from './in-memory-exporter.js';
import { createAuditLogger, type AuditLogger } from './logger.js';

const context = { orgId: 'org_1', userId: 'user_1', agentId: 'agent_1', sessionId: 'session_1' };
const action = (n = 1) => ({ actionId: `act_${n}`, actionName: 'kubectl_get', actionParams: { resource: 'pods', namespace: 'default' } });

let logger: AuditLogger | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await logger?.shutdown();
  logger = undefined;
});

function make(extra: Record<string, unknown> = {}): { logger: AuditLogger; storage: MemoryStorage; diagnostics: Diagnostic[] } {
  const storage = createMemoryStorage();
  const diagnostics: Diagnostic[] = [];
  logger = createAuditLogger({ storage, context, flushOnExit: false, onDiagnostic: (d) => diagnostics.push(d), ...extra });
  return { logger, storage, diagnostics };
}

describe('audit logger (seed-000 scenarios on memory storage)', () => {
  it('records action started with the context, params and seed defaults', async () => {
    const { logger } = make();
    const id = logger.actionStarted({ ...action(), capabilityType: 'skill', capabilitySource: 'builtin', capabilityVersion: '1.2.0' });
    await logger.flush();
    const { items } = await logger.queryEvents({ sessionId: 'session_1' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      eventId: id,
      eventType: 'action_started',
      orgId: 'org_1',
      userId: 'user_1',
      agentId: 'agent_1',
      sessionId: 'session_1',
      actionId: 'act_1',
      actionName: 'kubectl_get',
      actionParams: { resource: 'pods', namespace: 'default' },
      capabilityType: 'skill',
      capabilitySource: 'builtin',
      capabilityVersion: '1.2.0',
      severity: 'info',
      requiresApproval: false,
    });
    expect(items[0]!.success ?? null).toBeNull();
    expect(Date.parse(items[0]!.timestamp)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('records action completed with success, duration and the result in metadata', async () => {
    const { logger } = make();
    logger.actionCompleted({ ...action(), durationMs: 150.4, result: { pods: 3 }, metadata: { source: 'test' } });
    await logger.flush();
    const [e] = (await logger.queryEvents({ eventTypes: ['action_completed'] })).items;
    expect(e).toMatchObject({ eventType: 'action_completed', success: true, durationMs: 150, severity: 'info', metadata: { source: 'test', result: { pods: 3 } } });
  });

  it('records action failed with the error message and error severity', async () => {
    const { logger } = make();
    logger.actionFailed({ ...action(), durationMs: 50, error: new Error('connection refused') });
    await logger.flush();
    const [e] = (await logger.queryEvents({ eventTypes: ['action_failed'] })).items;
    expect(e).toMatchObject({ success: false, errorMessage: 'connection refused', severity: 'error', durationMs: 50 });
  });

  it('records action rejected with the reason and warning severity', async () => {
    const { logger } = make();
    logger.actionRejected({ ...action(), reason: 'User denied approval' });
    await logger.flush();
    const [e] = (await logger.queryEvents({ eventTypes: ['action_rejected'] })).items;
    expect(e).toMatchObject({ success: false, reason: 'User denied approval', errorMessage: 'User denied approval', severity: 'warning' });
  });

  it('records the approval flow: requested, granted and denied with approver and reason', async () => {
    const { logger } = make();
    logger.approvalRequested(action(1));
    logger.approvalGranted({ ...action(1), approver: 'alice', reason: 'routine' });
    logger.approvalRequested(action(2));
    logger.approvalDenied({ ...action(2), approver: 'bob', reason: 'too risky' });
    await logger.flush();
    const { items } = await logger.queryEvents({ order: 'asc' });
    expect(items.map((e) => [e.actionId, e.eventType, e.requiresApproval, e.approvalGranted ?? null, e.severity])).toEqual([
      ['act_1', 'approval_requested', true, null, 'info'],
      ['act_1', 'approval_granted', true, true, 'info'],
      ['act_2', 'approval_requested', true, null, 'info'],
      ['act_2', 'approval_denied', true, false, 'warning'],
    ]);
    expect(items[1]).toMatchObject({ approver: 'alice', reason: 'routine' });
    expect(items[3]).toMatchObject({ approver: 'bob', reason: 'too risky' });
  });

  it('exports a full batch without waiting for the interval or a flush', async () => {
    vi.useFakeTimers();
    const { logger, storage } = make({ maxBatchSize: 5, flushIntervalMs: 60_000 });
    for (let i = 0; i < 4; i++) logger.actionStarted(action(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(0);
    logger.actionStarted(action(4));
    await vi.advanceTimersByTimeAsync(0);
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(5);
    expect(logger.stats()).toMatchObject({ exported: 5, batches: 1, queued: 0 });
  });

  it('queries by event type', async () => {
    const { logger } = make();
    logger.actionStarted(action(1));
    logger.actionCompleted(action(1));
    logger.actionStarted(action(2));
    logger.actionFailed({ ...action(2), error: 'boom' });
    await logger.flush();
    expect((await logger.queryEvents({ eventTypes: ['action_started'] })).items).toHaveLength(2);
    expect((await logger.queryEvents({ eventTypes: ['action_completed', 'action_failed'] })).items.map((e) => e.eventType).sort()).toEqual(['action_completed', 'action_failed']);
  });

  it('queries by success', async () => {
    const { logger } = make();
    logger.actionCompleted(action(1));
    logger.actionCompleted(action(2));
    logger.actionFailed({ ...action(3), error: 'x' });
    await logger.flush();
    expect((await logger.queryEvents({ success: true })).items.map((e) => e.actionId).sort()).toEqual(['act_1', 'act_2']);
    expect((await logger.queryEvents({ success: false })).items.map((e) => e.actionId)).toEqual(['act_3']);
  });

  it('counts events by filter', async () => {
    const { logger } = make();
    for (let i = 0; i < 7; i++) logger.actionStarted(action(i));
    for (let i = 0; i < 3; i++) logger.actionCompleted(action(i));
    await logger.flush();
    expect(await logger.countEvents()).toBe(10);
    expect(await logger.countEvents({ eventTypes: ['action_completed'] })).toBe(3);
    expect(await logger.countEvents({ agentId: 'someone_else' })).toBe(0);
  });

  it('flushes pending events on shutdown (stop), and shutdown is idempotent', async () => {
    const { logger, storage } = make({ flushIntervalMs: 3_600_000 });
    logger.actionStarted(action(1));
    logger.actionCompleted(action(1));
    expect(logger.stats().queued).toBe(2);
    const first = logger.shutdown();
    expect(logger.shutdown()).toBe(first);
    await first;
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(2);
    expect(logger.stats()).toMatchObject({ queued: 0, exported: 2 });
  });

  it('queries by time range (from inclusive, to exclusive)', async () => {
    const { logger } = make();
    const base = Date.parse('2026-01-10T00:00:00.000Z');
    for (let h = 0; h < 5; h++) logger.actionStarted({ ...action(h), timestamp: new Date(base + h * 3_600_000) });
    await logger.flush();
    const { items } = await logger.queryEvents({ from: '2026-01-10T01:00:00.000Z', to: '2026-01-10T03:00:00.000Z', order: 'asc' });
    expect(items.map((e) => e.actionId)).toEqual(['act_1', 'act_2']);
  });
});

describe('audit logger context and reads', () => {
  it('child loggers add context and share the pipeline', async () => {
    const { logger, storage } = make();
    const child = logger.withContext({ sessionId: 'session_2', agentId: 'agent_2' });
    child.actionStarted(action(1));
    logger.actionStarted(action(2));
    await child.flush();
    const events = (await storage.queryEvents({ limit: 10, order: 'asc' })).items;
    expect(events.map((e) => [e.actionId, e.sessionId, e.agentId, e.orgId])).toEqual([
      ['act_1', 'session_2', 'agent_2', 'org_1'],
      ['act_2', 'session_1', 'agent_1', 'org_1'],
    ]);
    expect(child.stats()).toEqual(logger.stats());
  });

  it('refuses bad options at construction, listing every problem', () => {
    try {
      createAuditLogger({ maxBatchSize: 0, flushIntervalMs: -1, context: { orgId: '' } });
      expect.unreachable();
    } catch (err) {
      expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
      const paths = (err as { issues: { path: string }[] }).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['maxBatchSize', 'flushIntervalMs', 'context.orgId', 'exporter']));
    }
  });

  it('rejects reads with READ_UNSUPPORTED when built on an exporter', async () => {
    logger = createAuditLogger({ exporter: createInMemoryExporter(), context, flushOnExit: false });
    await expect(logger.queryEvents()).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_READ_UNSUPPORTED' });
    await expect(logger.countInteractions()).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_READ_UNSUPPORTED' });
  });

  it('rejects an invalid query with QUERY_INVALID', async () => {
    const { logger } = make();
    await expect(logger.queryEvents({ limit: 0 })).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_QUERY_INVALID' });
  });

  it('records any event or interaction through record(), filling ids, time and context', async () => {
    const { logger, storage } = make();
    const eventId = logger.record({ kind: 'event', eventType: 'action_started', actionId: 'a', actionName: 'n' });
    const interactionId = logger.recordInteraction({ question: 'how many pods?', model: 'gpt-4o', finalAnswer: '3' });
    await logger.flush();
    expect(await storage.getEvent(eventId!)).toMatchObject({ orgId: 'org_1', userId: 'user_1', severity: 'info' });
    expect(await storage.getInteraction(interactionId!)).toMatchObject({ orgId: 'org_1', sessionId: 'session_1', status: 'success', question: 'how many pods?' });
    expect(await logger.countInteractions()).toBe(1);
  });
});
