import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../core/memory-storage.js';
import type { AuditQuery } from '../../core/query.js';
import type { Storage } from '../../core/storage.js';
import { sampleEvent } from '../test-support/sample-records.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';
import type { OrgScopedStorage } from './tenant-reader.js';

/** A storage with forOrg(): records which org context each read and write ran in (as RLS would). */
class ContextStorage extends MemoryStorage implements OrgScopedStorage {
  readonly calls: { op: string; context: string }[] = [];
  forOrg(orgId: string): Storage {
    const calls = this.calls;
    return new Proxy<Storage>(this, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function' || prop === 'close') return v;
        return (...args: unknown[]) => {
          calls.push({ op: String(prop), context: orgId });
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
}

let t: TestServer;
afterEach(async () => {
  await t.close();
});

describe('a storage with forOrg() (the seam for row-level security)', () => {
  it("runs every read and every write of a request in the key's org context", async () => {
    const storage = new ContextStorage();
    t = await startTestServer({ storage });
    await t.server.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(t.keyB), payload: [sampleEvent({ orgId: undefined })] });
    await t.server.app.inject({ url: '/v1/events', headers: bearer(t.keyB) });
    await t.server.app.inject({ url: '/v1/interactions/count', headers: bearer(t.keyA) });
    expect(storage.calls).toEqual([
      { op: 'append', context: 'org_b' },
      { op: 'append', context: 'org_b' },
      { op: 'queryEvents', context: 'org_b' },
      { op: 'append', context: 'org_a' },
      { op: 'countInteractions', context: 'org_a' },
    ]);
  });

  it('still filters by org itself (defence in depth)', async () => {
    const storage = new ContextStorage();
    const seen: AuditQuery[] = [];
    const spy = storage.queryEvents.bind(storage);
    storage.queryEvents = (q: AuditQuery) => (seen.push(q), spy(q));
    t = await startTestServer({ storage });
    await t.server.app.inject({ url: '/v1/events?userId=alice', headers: bearer(t.keyB) });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ orgId: 'org_b', userId: 'alice' });
  });
});
