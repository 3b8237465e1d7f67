import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../core/index.js';
import type { Diagnostic } from './diagnostics.js';
import { createInMemoryExporter, type InMemoryExporter } from './in-memory-exporter.js';
import { findJsonHazard } from './json-safety.js';
import { createAuditLogger, type AuditLogger } from './logger.js';

const context = { orgId: 'o', userId: 'u', agentId: 'a', sessionId: 's' };

let logger: AuditLogger;
afterEach(async () => {
  await logger.shutdown();
});

/** An exporter that, like the HTTP exporter, must serialize the batch: one bad record would fail it whole. */
function jsonExporter(): InMemoryExporter {
  const inner = createInMemoryExporter();
  return {
    ...inner,
    name: 'json',
    export: (records) => {
      JSON.stringify(records);
      return inner.export(records);
    },
  };
}

function nested(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) v = { n: v };
  return v;
}

describe('records JSON cannot carry', () => {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['a BigInt', { actionParams: { amount: 10n } }, 'actionParams.amount', 'AUDITRAIL_ERR_RECORD_INVALID'],
    ['a cycle', { metadata: { loop: cycle } }, 'metadata.loop.self', 'AUDITRAIL_ERR_RECORD_INVALID'],
    ['a function value', { actionParams: { cb: () => 1 } }, 'actionParams.cb', 'AUDITRAIL_ERR_RECORD_INVALID'],
    // the record is level 1, actionParams level 2: LIMITS.maxDepth - 1 more levels fit
    ['nesting beyond LIMITS.maxDepth', { actionParams: nested(LIMITS.maxDepth) }, 'actionParams' + '.n'.repeat(LIMITS.maxDepth - 1), 'AUDITRAIL_ERR_RECORD_TOO_DEEP'],
    ['a string beyond LIMITS.maxStringLength', { metadata: { blob: 'x'.repeat(LIMITS.maxStringLength + 1) } }, 'metadata.blob', 'AUDITRAIL_ERR_RECORD_TOO_LARGE'],
    // the server refuses the whole request for it (prototype pollution guard)
    ['a constructor.prototype object', { metadata: { constructor: { prototype: { admin: true } } } }, 'metadata.constructor', 'AUDITRAIL_ERR_BODY_FORBIDDEN_KEY'],
  ];

  for (const [what, extra, path, code] of cases) {
    it(`rejects a record holding ${what} on its own, naming the field, and exports the rest of its batch`, async () => {
      const exporter = jsonExporter();
      const diagnostics: Diagnostic[] = [];
      logger = createAuditLogger({ exporter, context, flushOnExit: false, onDiagnostic: (d) => diagnostics.push(d) });
      const before = logger.actionStarted({ actionId: 'a1', actionName: 'ok' });
      const bad = logger.actionStarted({ actionId: 'a2', actionName: 'bad', ...extra });
      const after = logger.actionStarted({ actionId: 'a3', actionName: 'ok' });
      await logger.flush();
      await new Promise((r) => setImmediate(r));
      expect(exporter.getEvents().map((e) => e.eventId)).toEqual([before, after]);
      expect(logger.stats()).toMatchObject({ exported: 2, rejected: 1, dropped: 0, exportFailures: 0 });
      const rejected = diagnostics.filter((d) => d.outcome === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ code, recordIds: [bad] });
      expect(rejected[0]!.error.issues.map((i) => i.path)).toEqual([path]);
    });
  }

  it('keeps what JSON carries faithfully: shared (not circular) references, dates, nulls, deep but allowed nesting', () => {
    const shared = { x: 1 };
    expect(findJsonHazard({ a: shared, b: [shared, shared], when: new Date(0), none: null, deep: nested(LIMITS.maxDepth - 1) })).toBeUndefined();
  });
});
