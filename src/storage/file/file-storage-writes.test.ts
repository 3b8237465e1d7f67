import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQuery, type AuditEvent } from '../../core/index.js';
import { FIXTURE_START_MS, makeEvent, makeRichInteraction } from '../contract/fixtures.js';
import { createFileStorage } from './index.js';
import { fileLines, segmentFiles, tempStores } from './test-support/temp-store.js';

const all = parseQuery({ limit: 1000 });

describe('file storage writes', () => {
  const stores = tempStores();

  it('never interleaves the lines of concurrent appends: each batch is contiguous and committed', async () => {
    const directory = await stores.dir();
    const { storage } = await stores.open({ directory, maxFileBytes: 256 * 1024 });
    // 100 producers, each appending 3 batches of 1-10 events at once, without awaiting each other.
    const sent = Array.from({ length: 300 }, (_, b) =>
      Array.from({ length: 1 + (b % 10) }, (_, k) => makeEvent({ timestamp: new Date(FIXTURE_START_MS + k).toISOString(), actionId: `batch-${b}` })),
    );
    const results = await Promise.all(sent.map((batch) => storage.append(batch)));
    expect(results.every((r, b) => r.accepted === sent[b]!.length)).toBe(true);
    const total = sent.reduce((n, b) => n + b.length, 0);
    let seen = 0;
    let commits = 0;
    for (const f of await segmentFiles(directory)) {
      let batch: AuditEvent[] = [];
      for (const line of await fileLines(join(directory, f))) {
        const value = JSON.parse(line) as AuditEvent | { $commit: number; n: number };
        if ('$commit' in value) {
          commits++;
          expect(value.n).toBe(batch.length);
          // Every line of a committed batch came from the same append call, and all of it is here.
          const owners = new Set(batch.map((e) => e.actionId));
          expect(owners.size).toBe(1);
          expect(batch.length).toBe(sent[Number(batch[0]!.actionId.slice(6))]!.length);
          seen += batch.length;
          batch = [];
        } else {
          batch.push(value);
        }
      }
      expect(batch).toEqual([]);
    }
    expect(commits).toBe(300);
    expect(seen).toBe(total);
    expect(await storage.countEvents(all)).toBe(total);
  });

  it('stores a record sent by many concurrent producers once', async () => {
    const { storage } = await stores.open({ directory: await stores.dir() });
    const shared = Array.from({ length: 20 }, () => makeEvent());
    const results = await Promise.all(Array.from({ length: 25 }, () => storage.append(shared)));
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(20);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(20 * 24);
    expect(await storage.countEvents(all)).toBe(20);
  });

  it('writes one greppable JSON line per record, with its timestamp normalized', async () => {
    const directory = await stores.dir();
    const { storage } = await stores.open({ directory });
    const interaction = makeRichInteraction();
    await storage.append([makeEvent(), interaction]);
    const text = await readFile(join(directory, 'segment-0000000001.jsonl'), 'utf8');
    const hits = text.split('\n').filter((l) => l.includes(interaction.interactionId));
    expect(hits).toHaveLength(1);
    expect(JSON.parse(hits[0]!)).toMatchObject({ kind: 'interaction', timestamp: '2026-01-15T01:15:00.000Z', question: interaction.question });
    expect(text).toContain('为什么 nginx 的 Pod 一直重启？😟');
    expect(text.trimEnd().split('\n').at(-1)).toBe('{"$commit":1,"n":2}');
  });

  it('writes nothing for a batch of duplicates only', async () => {
    const directory = await stores.dir();
    const { storage } = await stores.open({ directory });
    const e = makeEvent();
    await storage.append([e]);
    const before = storage.stats().bytes;
    expect((await storage.append([e, e])).duplicates).toBe(2);
    expect(storage.stats().bytes).toBe(before);
  });

  for (const fsync of ['interval', 'never'] as const) {
    it(`keeps what was appended across close and reopen with fsync '${fsync}'`, async () => {
      const directory = await stores.dir();
      const first = await createFileStorage({ directory, fsync, fsyncIntervalMs: 5 });
      const events = Array.from({ length: 30 }, () => makeEvent());
      for (let k = 0; k < 30; k += 10) await first.append(events.slice(k, k + 10));
      await first.close();
      const { storage } = await stores.open({ directory, fsync });
      expect(await storage.countEvents(all)).toBe(30);
    });
  }

  it('lets appends queued before close() finish, and rejects those made after', async () => {
    const directory = await stores.dir();
    const storage = await createFileStorage({ directory });
    const pending = storage.append([makeEvent()]);
    const closing = storage.close();
    await expect(storage.append([makeEvent()])).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_STORAGE_CLOSED' });
    expect((await pending).accepted).toBe(1);
    await closing;
    const { storage: again } = await stores.open({ directory });
    expect(await again.countEvents(all)).toBe(1);
  });
});
