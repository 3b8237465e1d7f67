import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAuditrailError, parseQuery } from '../../core/index.js';
import { FIXTURE_START_MS, makeEvent, makeInteraction } from '../contract/fixtures.js';
import { createFileStorage } from './index.js';
import { recordLine } from './segment-format.js';
import { fileLines, segmentFiles, tempStores } from './test-support/temp-store.js';

const at = (s: number) => new Date(FIXTURE_START_MS + s * 1000).toISOString();
const all = parseQuery({ limit: 1000 });

describe('file storage recovery', () => {
  const stores = tempStores();

  /** A closed store with three committed batches (9 events); returns its directory and last segment. */
  async function committedStore(maxFileBytes = 1024 * 1024) {
    const directory = await stores.dir();
    const storage = await createFileStorage({ directory, maxFileBytes });
    const events = Array.from({ length: 9 }, (_, k) => makeEvent({ timestamp: at(k) }));
    for (let b = 0; b < 3; b++) await storage.append(events.slice(b * 3, b * 3 + 3));
    await storage.close();
    const files = await segmentFiles(directory);
    const last = join(directory, files[files.length - 1]!);
    return { directory, events, last, size: (await stat(last)).size };
  }

  async function openError(directory: string): Promise<unknown> {
    return createFileStorage({ directory }).then(
      async (s) => {
        await s.close();
        return undefined;
      },
      (e: unknown) => e,
    );
  }

  it('cuts off a torn last line and keeps every committed record', async () => {
    const { directory, events, last, size } = await committedStore();
    const torn = recordLine(makeEvent()).slice(0, 57);
    await appendFile(last, torn);
    const { storage, diagnostics } = await stores.open({ directory });
    expect(diagnostics).toEqual([{ type: 'recovered', file: last, discardedBytes: Buffer.byteLength(torn), discardedRecords: 0 }]);
    expect((await stat(last)).size).toBe(size);
    expect((await storage.queryEvents(all)).items.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(storage.stats()).toMatchObject({ records: 9, discardedBytes: Buffer.byteLength(torn), discardedRecords: 0 });
  });

  it('discards a half-written batch (record lines without their commit marker)', async () => {
    const { directory, last, size } = await committedStore();
    const lost = [makeEvent({ timestamp: at(50) }), makeInteraction({ timestamp: at(51) }), makeEvent({ timestamp: at(52) })];
    const partial = recordLine(lost[0]!) + recordLine(lost[1]!) + recordLine(lost[2]!).slice(0, 30);
    await appendFile(last, partial);
    const { storage, diagnostics } = await stores.open({ directory });
    expect(diagnostics).toEqual([{ type: 'recovered', file: last, discardedBytes: Buffer.byteLength(partial), discardedRecords: 2 }]);
    expect((await stat(last)).size).toBe(size);
    expect(await storage.countEvents(all)).toBe(9);
    expect(await storage.countInteractions(all)).toBe(0);
    // They were never acknowledged: sending them again stores them.
    expect((await storage.append(lost)).accepted).toBe(3);
  });

  it('appends cleanly after recovery, and a second reopen finds nothing to cut', async () => {
    const { directory, last } = await committedStore();
    await appendFile(last, '{"kind":"event","eventId":"0194');
    const first = await stores.open({ directory });
    const more = [makeEvent({ timestamp: at(100) }), makeEvent({ timestamp: at(101) })];
    await first.storage.append(more);
    await first.storage.close();
    const lines = await fileLines(last);
    expect(lines[lines.length - 1]).toMatch(/^\{"\$commit":4,"n":2\}$/);
    const second = await stores.open({ directory });
    expect(second.diagnostics).toEqual([]);
    expect(await second.storage.countEvents(all)).toBe(11);
  });

  it('opens a last segment that was created but never written', async () => {
    const { directory } = await committedStore();
    await writeFile(join(directory, 'segment-0000000002.jsonl'), '');
    const { storage, diagnostics } = await stores.open({ directory });
    expect(diagnostics).toEqual([]);
    await storage.append([makeEvent()]);
    expect(await storage.countEvents(all)).toBe(10);
  });

  it('reports a corrupt line in the middle of a committed segment, naming file and line', async () => {
    const { directory, last } = await committedStore();
    const text = await readFile(last, 'utf8');
    const lines = text.split('\n');
    lines[5] = lines[5]!.replace('"eventId"', '"eventId"}}');
    await writeFile(last, lines.join('\n'));
    const err = await openError(directory);
    expect(isAuditrailError(err, 'STORAGE_CORRUPT')).toBe(true);
    expect(String(err)).toContain('segment-0000000001.jsonl line 6');
  });

  it('reports corruption that appears after open when a read reaches it', async () => {
    const { directory, last } = await committedStore();
    const { storage } = await stores.open({ directory });
    const text = await readFile(last, 'utf8');
    // Same length, so the committed size still matches: a flipped byte on disk.
    await writeFile(last, text.replace('"actionName":"kubectl_get"', '"actionName":"kubectl_get}'));
    const err = await storage.queryEvents(parseQuery({ orgId: 'org_a' })).catch((e: unknown) => e);
    expect(isAuditrailError(err, 'STORAGE_CORRUPT')).toBe(true);
    expect(String(err)).toContain('segment-0000000001.jsonl line 1');
  });

  it('reports a commit marker whose count does not match its batch', async () => {
    const { directory, last } = await committedStore();
    await writeFile(last, (await readFile(last, 'utf8')).replace('{"$commit":2,"n":3}', '{"$commit":2,"n":4}'));
    const err = await openError(directory);
    expect(isAuditrailError(err, 'STORAGE_CORRUPT')).toBe(true);
    expect(String(err)).toContain('line 8');
  });

  it('reports uncommitted data in a segment that is not the last', async () => {
    const { directory } = await committedStore(1024);
    const files = await segmentFiles(directory);
    expect(files.length).toBeGreaterThan(1);
    await appendFile(join(directory, files[0]!), recordLine(makeEvent()));
    const err = await openError(directory);
    expect(isAuditrailError(err, 'STORAGE_CORRUPT')).toBe(true);
    expect(String(err)).toContain(files[0]);
  });
});
