import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditrailError, type AuditRecord } from '../core/index.js';
import type { Diagnostic } from './diagnostics.js';
import { createAuditLogger, type AuditLogger } from './logger.js';
import type { OverflowSink } from './overflow.js';
import type { QueuedRecord } from './queued-record.js';
import type { LoggerStats } from './stats.js';
import { createScriptedExporter, type ScriptedExporter } from './test-support/scripted-exporter.js';

const context = { orgId: 'org_1', userId: 'u', agentId: 'a', sessionId: 's' };
const act = (i: number) => ({ actionId: `act_${i}`, actionName: 'tool' });
const retryable = (retryAfterMs?: number) => ({ code: 'retryable' as const, error: new AuditrailError('STORAGE_UNAVAILABLE', 'down'), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

let logger: AuditLogger;
let exporter: ScriptedExporter;
let diagnostics: Diagnostic[];

function make(extra: Record<string, unknown> = {}): AuditLogger {
  exporter = createScriptedExporter();
  diagnostics = [];
  logger = createAuditLogger({
    exporter,
    context,
    flushOnExit: false,
    retry: { initialBackoffMs: 100, maxBackoffMs: 1_000, multiplier: 2 },
    onDiagnostic: (d) => diagnostics.push(d),
    ...extra,
  });
  return logger;
}

/** Every record ends in exactly one terminal counter, or is still pending. */
function balanced(s: LoggerStats): boolean {
  return s.recorded === s.queued + s.inFlight + s.exported + s.rejected + s.dropped + s.spooled;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  exporter.release();
  vi.useRealTimers();
  await logger.shutdown();
});

describe('batch processor', () => {
  it('flushes a full batch at once and leaves the rest for the interval', async () => {
    make({ maxBatchSize: 100, flushIntervalMs: 1_000 });
    for (let i = 0; i < 250; i++) logger.actionStarted(act(i));
    expect(exporter.calls).toBe(0); // never on the caller's stack
    await vi.advanceTimersByTimeAsync(0);
    expect(exporter.batches.map((b) => b.length)).toEqual([100, 100]);
    expect(logger.stats().queued).toBe(50);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(exporter.batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(exporter.stored().map((r) => (r.kind === 'event' ? r.actionId : ''))).toEqual(Array.from({ length: 250 }, (_, i) => `act_${i}`));
  });

  it('exports a partial batch after flushIntervalMs, not before', async () => {
    make({ flushIntervalMs: 1_000 });
    logger.actionStarted(act(1));
    await vi.advanceTimersByTimeAsync(400);
    logger.actionStarted(act(2));
    await vi.advanceTimersByTimeAsync(599);
    expect(exporter.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(exporter.batches.map((b) => b.length)).toEqual([2]);
  });

  it('keeps one export in flight at a time', async () => {
    make({ maxBatchSize: 10 });
    exporter.hold();
    for (let i = 0; i < 100; i++) logger.actionStarted(act(i));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(exporter.calls).toBe(1);
    expect(logger.stats()).toMatchObject({ inFlight: 10, queued: 90 });
    exporter.release();
    await logger.flush();
    expect(exporter.maxConcurrent).toBe(1);
    expect(exporter.stored()).toHaveLength(100);
  });

  it('retries a retryable batch with exponential backoff, then succeeds', async () => {
    make();
    exporter.script(retryable(), retryable());
    logger.actionStarted(act(1));
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(exporter.calls).toBe(1);
    // Waits are 100 ms then 200 ms, each +-20%: attempt 2 lands in [80, 120], attempt 3 in [240, 360].
    await vi.advanceTimersByTimeAsync(79);
    expect(exporter.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(41);
    expect(exporter.calls).toBe(2);
    await vi.advanceTimersByTimeAsync(119);
    expect(exporter.calls).toBe(2);
    await vi.advanceTimersByTimeAsync(121);
    await flushed;
    expect(exporter.calls).toBe(3);
    expect(logger.stats()).toMatchObject({ exported: 1, retries: 2, exportFailures: 2, dropped: 0 });
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'AUDITRAIL_ERR_EXPORT_FAILED', outcome: 'retrying', count: 1 })]);
  });

  it("honours the sink's retryAfterMs", async () => {
    make();
    exporter.script(retryable(3_000));
    logger.actionStarted(act(1));
    void logger.flush();
    await vi.advanceTimersByTimeAsync(2_999);
    expect(exporter.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(exporter.calls).toBe(2);
    expect(logger.stats().exported).toBe(1);
  });

  it('retries until exportTimeoutMs, then counts the batch as dropped and reports it', async () => {
    make({ exportTimeoutMs: 2_000 });
    exporter.script(...Array.from({ length: 50 }, () => retryable()));
    for (let i = 0; i < 3; i++) logger.actionStarted(act(i));
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(2_000);
    await flushed;
    const s = logger.stats();
    expect(s).toMatchObject({ exported: 0, dropped: 3, dropReasons: expect.objectContaining({ exportFailed: 3 }) });
    expect(s.exportFailures).toBeGreaterThanOrEqual(3);
    expect(balanced(s)).toBe(true);
    const dropped = diagnostics.find((d) => d.outcome === 'dropped');
    expect(dropped).toMatchObject({ code: 'AUDITRAIL_ERR_EXPORT_FAILED', count: 3 });
    expect(dropped!.message).toMatch(/gave up after \d+ attempt/);
    expect(dropped!.recordIds).toHaveLength(3);
  });

  it('does not retry a failure result', async () => {
    make();
    exporter.script({ code: 'failure', error: new Error('schema mismatch') });
    logger.actionStarted(act(1));
    await logger.flush();
    expect(exporter.calls).toBe(1);
    expect(logger.stats()).toMatchObject({ dropped: 1, retries: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(diagnostics[0]).toMatchObject({ outcome: 'dropped', message: expect.stringContaining('schema mismatch') });
  });

  it('treats an exporter that throws as retryable', async () => {
    make();
    exporter.script('throw');
    logger.actionStarted(act(1));
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(200);
    await flushed;
    expect(exporter.calls).toBe(2);
    expect(logger.stats()).toMatchObject({ exportFailures: 1, retries: 1, exported: 1 });
  });

  it('gives up on an exporter that never answers at exportTimeoutMs', async () => {
    make({ exportTimeoutMs: 1_000 });
    exporter.hold();
    logger.actionStarted(act(1));
    const flushed = logger.flush();
    await vi.advanceTimersByTimeAsync(999);
    expect(logger.stats()).toMatchObject({ inFlight: 1, dropped: 0 });
    await vi.advanceTimersByTimeAsync(1);
    await flushed;
    expect(logger.stats()).toMatchObject({ inFlight: 0, dropped: 1, exportFailures: 1 });
    expect(diagnostics.find((d) => d.outcome === 'dropped')?.message).toContain('no answer within 1000 ms');
  });

  it('counts and reports records dropped because the queue is full', async () => {
    make({ maxQueueSize: 10, maxBatchSize: 10 });
    for (let i = 0; i < 15; i++) logger.actionStarted(act(i));
    const s = logger.stats();
    expect(s).toMatchObject({ recorded: 15, queued: 10, dropped: 5, dropReasons: expect.objectContaining({ queueFull: 5 }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(diagnostics.filter((d) => d.outcome === 'dropped')).toEqual([expect.objectContaining({ code: 'AUDITRAIL_ERR_QUEUE_FULL', count: 5 })]);
    await logger.flush();
    expect(exporter.stored()).toHaveLength(10);
  });

  it('hands overflow and failed batches to an overflow sink, counted as spooled', async () => {
    const queued: QueuedRecord[] = [];
    const failed: AuditRecord[] = [];
    const overflow: OverflowSink<QueuedRecord> = { takeQueued: (q) => queued.push(q) > 0, takeFailed: (r) => failed.push(...r) > 0 };
    make({ maxQueueSize: 2, overflow });
    exporter.script({ code: 'failure', error: new Error('gone') });
    for (let i = 0; i < 3; i++) logger.actionStarted(act(i));
    await logger.flush();
    expect(queued.map((q) => q.id)).toHaveLength(1);
    expect(failed).toHaveLength(2);
    expect(logger.stats()).toMatchObject({ spooled: 3, dropped: 0 });
  });

  it('shuts down once: a second call returns the same promise, everything queued is exported', async () => {
    make({ flushIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) logger.actionStarted(act(i));
    const a = logger.shutdown();
    const b = logger.shutdown();
    expect(b).toBe(a);
    await a;
    expect(exporter.stored()).toHaveLength(5);
  });

  it('counts a record made after shutdown as dropped and reports it', async () => {
    make();
    await logger.shutdown();
    const id = logger.actionStarted(act(1));
    expect(typeof id).toBe('string');
    expect(logger.stats()).toMatchObject({ dropped: 1, dropReasons: expect.objectContaining({ shutDown: 1 }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'AUDITRAIL_ERR_LOGGER_SHUT_DOWN', outcome: 'dropped', recordIds: [id] })]);
  });

  it('drops the rest at once when the sink fails for good during shutdown', async () => {
    make({ maxBatchSize: 2, exportTimeoutMs: 500 });
    exporter.script(...Array.from({ length: 100 }, () => retryable()));
    for (let i = 0; i < 6; i++) logger.actionStarted(act(i));
    const done = logger.shutdown();
    await vi.advanceTimersByTimeAsync(600);
    await done;
    expect(logger.stats()).toMatchObject({ dropped: 6, queued: 0, inFlight: 0 });
  });

  it('rejects records that fail full validation, naming the field, and exports the rest', async () => {
    make();
    logger.actionStarted({ ...act(1), eventId: 'not-a-uuid' });
    logger.actionStarted({ ...act(2), actionParams: 'oops' as never });
    logger.actionStarted(act(3));
    await logger.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(logger.stats()).toMatchObject({ rejected: 2, exported: 1 });
    const messages = diagnostics.filter((d) => d.outcome === 'rejected').map((d) => d.error.issues.map((i) => i.path));
    expect(messages).toEqual(expect.arrayContaining([['eventId'], ['actionParams']]));
  });

  it('counts records the sink refuses one by one as rejected', async () => {
    make();
    exporter.script(() => ({ code: 'success', rejected: [{ id: 'x', code: 'AUDITRAIL_ERR_RECORD_TOO_LARGE', message: 'too big' }] }));
    logger.actionStarted(act(1));
    logger.actionStarted(act(2));
    await logger.flush();
    expect(logger.stats()).toMatchObject({ exported: 1, rejected: 1 });
  });

  it('resolves flush() at once when nothing is pending, and after in-flight work otherwise', async () => {
    make();
    await logger.flush();
    exporter.hold();
    logger.actionStarted(act(1));
    let done = false;
    void logger.flush().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toBe(false);
    exporter.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    expect(balanced(logger.stats())).toBe(true);
  });
});
