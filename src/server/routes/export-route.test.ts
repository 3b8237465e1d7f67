import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../core/memory-storage.js';
import type { AuditQuery } from '../../core/query.js';
import { parseRecordOrThrow } from '../../core/record.js';
import { EVENT_COLUMNS, INTERACTION_COLUMNS } from '../export/csv.js';
import { sampleEvent, sampleInteraction } from '../test-support/sample-records.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';

let t: TestServer;
afterEach(async () => {
  await t.close();
});

class CountingStorage extends MemoryStorage {
  pages = 0;
  override queryInteractions(query: AuditQuery) {
    this.pages++;
    return super.queryInteractions(query);
  }
}

const get = (url: string) => t.server.app.inject({ method: 'GET', url, headers: bearer(t.keyA) });
const jsonl = (body: string) =>
  body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function seed(n: number, start = Date.parse('2026-05-01T00:00:00Z')) {
  const records = Array.from({ length: n }, (_, i) => parseRecordOrThrow(sampleInteraction({ timestamp: new Date(start + i * 1000).toISOString(), model: i % 2 ? 'gpt-4o' : 'claude' })));
  await t.storage.append(records);
  return records;
}

describe('GET /v1/export', () => {
  it('streams every matching interaction as JSONL, oldest first, paging through storage, ending with an export_end line', async () => {
    const storage = new CountingStorage();
    t = await startTestServer({ storage });
    const records = await seed(2500);
    const res = await get('/v1/export?format=jsonl&kind=interactions');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = jsonl(res.body);
    expect(lines).toHaveLength(2501);
    expect(lines.slice(0, -1).map((l) => l.interactionId)).toEqual(records.map((r) => (r.kind === 'interaction' ? r.interactionId : '')));
    expect(lines.at(-1)).toEqual({ kind: 'export_end', count: 2500, nextCursor: null });
    expect(storage.pages).toBe(3);
  });

  it('applies the query filters and stops at maxRows with the cursor to resume from', async () => {
    t = await startTestServer();
    await seed(10);
    const first = jsonl((await get('/v1/export?model=gpt-4o&maxRows=3')).body);
    expect(first).toHaveLength(4);
    expect(first.slice(0, 3).every((l) => l.model === 'gpt-4o')).toBe(true);
    const end = first.at(-1) as { count: number; nextCursor: string };
    expect(end.count).toBe(3);
    const rest = jsonl((await get(`/v1/export?model=gpt-4o&cursor=${end.nextCursor}`)).body);
    expect(rest.slice(0, -1).map((l) => l.interactionId)).toHaveLength(2);
    expect(new Set([...first, ...rest].filter((l) => l.kind === 'interaction').map((l) => l.interactionId)).size).toBe(5);
  });

  it('exports CSV with a header from the schema, escaped cells, formula guards and a resume cursor per row', async () => {
    t = await startTestServer();
    await t.storage.append([parseRecordOrThrow(sampleInteraction({ question: 'a "quoted", multi\nline question', finalAnswer: '=HYPERLINK("x")' }))]);
    const res = await get('/v1/export?format=csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="auditrail-interactions-.*\.csv"/);
    const [header] = res.body.split('\r\n');
    expect(header).toBe(INTERACTION_COLUMNS.join(','));
    expect(res.body).toContain('"a ""quoted"", multi\nline question"');
    expect(res.body).toContain(`"'=HYPERLINK(""x"")"`);
    const lastCell = res.body.trim().split(',').at(-1)!;
    const resumed = await get(`/v1/export?format=csv&cursor=${lastCell}`);
    expect(resumed.body.trim()).toBe(INTERACTION_COLUMNS.join(','));
  });

  it('exports events', async () => {
    t = await startTestServer();
    await t.storage.append([parseRecordOrThrow(sampleEvent()), parseRecordOrThrow(sampleEvent())]);
    const res = await get('/v1/export?format=csv&kind=events');
    const rows = res.body.trim().split('\r\n');
    expect(rows[0]).toBe(EVENT_COLUMNS.join(','));
    // the export's own access record is written before streaming starts, so it is part of it
    expect(rows.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a bad format, and offset pagination', async () => {
    t = await startTestServer();
    expect((await get('/v1/export?format=xml')).json()).toMatchObject({ code: 'AUDITRAIL_ERR_QUERY_INVALID' });
    expect((await get('/v1/export?offset=10')).json()).toMatchObject({ code: 'AUDITRAIL_ERR_QUERY_INVALID' });
  });
});
