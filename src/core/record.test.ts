import { describe, expect, it } from 'vitest';
import { parseRecord, uuidv7, uuidv7Time, isUuid, parseQuery, encodeCursor, decodeCursor, isAuditrailError } from './index.js';

const event = () => ({
  kind: 'event',
  eventId: uuidv7(),
  eventType: 'action_started',
  timestamp: new Date().toISOString(),
  orgId: 'org_1',
  userId: 'u1',
  agentId: 'a1',
  sessionId: 's1',
  actionId: 'act1',
  actionName: 'kubectl_get',
});

describe('record schemas', () => {
  it('accepts a seed-000 event and fills its defaults', () => {
    const r = parseRecord(event());
    expect(r.ok).toBe(true);
    if (!r.ok || r.record.kind !== 'event') throw new Error('expected event');
    expect(r.record.severity).toBe('info');
    expect(r.record.requiresApproval).toBe(false);
    expect(r.record.durationMs).toBe(0);
    expect(r.record.actionParams).toEqual({});
  });

  it('rejects unknown fields, bad types and bad enums with one issue per field', () => {
    const r = parseRecord({ ...event(), eventType: 'exploded', durationMs: -1, extra: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('AUDITRAIL_ERR_RECORD_INVALID');
    const paths = r.error.issues.map((i) => i.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['eventType', 'durationMs']));
  });

  it('accepts a seed-002 interaction with ordered children', () => {
    const r = parseRecord({
      kind: 'interaction',
      interactionId: uuidv7(),
      timestamp: '2026-11-22T08:00:00+08:00',
      orgId: 'o',
      sessionId: 's',
      question: '集群里哪些 pod 在重启？',
      model: 'gpt-4o',
      status: 'success',
      thoughts: [{ sequence: 0, content: 'look at pods' }],
      toolCalls: [{ sequence: 0, name: 'kubectl', input: { args: ['get', 'pods'] }, observation: 'ok', durationMs: 12 }],
      metrics: [{ name: 'execute_total', durationMs: 40 }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok || r.record.kind !== 'interaction') throw new Error('expected interaction');
    expect(r.record.toolCalls[0]?.status).toBe('success');
  });
});

describe('ids', () => {
  it('makes time-ordered UUIDv7 ids that carry their millisecond', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe('7');
    expect(a < b).toBe(true);
    expect(uuidv7Time(a)).toBe(1_700_000_000_000);
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7())).size).toBe(10_000);
  });
});

describe('query model', () => {
  it('parses query-string forms and defaults limit and order', () => {
    const q = parseQuery({ eventTypes: 'action_failed,action_rejected', success: 'false', limit: '20' });
    expect(q).toMatchObject({ eventTypes: ['action_failed', 'action_rejected'], success: false, limit: 20, order: 'desc' });
  });

  it('refuses cursor with offset, from after to, and unknown filters, listing each', () => {
    try {
      parseQuery({ cursor: 'x', offset: 1, from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z', colour: 'red' });
      expect.unreachable();
    } catch (err) {
      expect(isAuditrailError(err, 'QUERY_INVALID')).toBe(true);
    }
  });

  it('round-trips cursors and refuses forged ones', () => {
    const c = encodeCursor({ t: '2026-11-22T05:31:52.123Z', id: 'abc' });
    expect(decodeCursor(c)).toEqual({ t: '2026-11-22T05:31:52.123Z', id: 'abc' });
    expect(() => decodeCursor('not-a-cursor')).toThrow(/cursor/);
  });
});
