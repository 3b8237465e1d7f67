import { createServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAuditrailError, parseRecordOrThrow, uuidv7, type AuditRecord, type Exporter } from '../../core/index.js';
import { idOf, startScriptedHttpServer, type ScriptedHttpServer } from '../test-support/scripted-http-server.js';
import { createHttpExporter } from './http-exporter.js';

function event(i: number, extra: Record<string, unknown> = {}): AuditRecord {
  return parseRecordOrThrow({
    kind: 'event',
    eventId: uuidv7(),
    eventType: 'action_started',
    timestamp: new Date(1_700_000_000_000 + i).toISOString(),
    orgId: 'org_1',
    userId: 'u',
    agentId: 'a',
    sessionId: 's',
    actionId: `act_${i}`,
    actionName: 'kubectl_get',
    ...extra,
  });
}
const batch = (n: number) => Array.from({ length: n }, (_, i) => event(i));
const ids = (records: readonly AuditRecord[]) => records.map((r) => (r.kind === 'event' ? r.eventId : r.interactionId));
const problem = (status: number, code: string) => ({ status, body: { type: `urn:auditrail:error:${code}`, title: 'x', status, detail: `${code} detail`, code }, headers: { 'content-type': 'application/problem+json' } });

let server: ScriptedHttpServer;
let exporter: Exporter;
beforeEach(async () => {
  server = await startScriptedHttpServer();
});
afterEach(async () => {
  await exporter?.shutdown();
  await server.close();
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('http exporter', () => {
  it('POSTs the batch as a JSON array to /v1/events with the API key and extra headers, and maps 200 to success', async () => {
    exporter = createHttpExporter({ url: `${server.url}/`, apiKey: 'atr_test', headers: { 'x-trace': 't1' } });
    const records = batch(3);
    expect(await exporter.export(records)).toEqual({ code: 'success', rejected: [] });
    const [req] = server.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/v1/events' });
    expect(req!.headers).toMatchObject({ authorization: 'Bearer atr_test', 'content-type': 'application/json', 'x-trace': 't1' });
    expect(req!.records.map(idOf)).toEqual(ids(records));
    expect(server.stored).toEqual(ids(records));
  });

  it('compresses bodies from gzipMinBytes on, and only those', async () => {
    exporter = createHttpExporter({ url: server.url, gzipMinBytes: 2_000 });
    await exporter.export(batch(1));
    await exporter.export(batch(50));
    expect(server.requests.map((r) => r.headers['content-encoding'])).toEqual([undefined, 'gzip']);
    expect(server.requests[1]!.records).toHaveLength(50);
    expect(server.requests[1]!.rawBytes).toBeLessThan(JSON.stringify(batch(50)).length / 3);
  });

  it('lists the records the server rejected one by one; accepted and duplicate ones are stored', async () => {
    exporter = createHttpExporter({ url: server.url });
    const records = batch(3);
    server.script({
      status: 200,
      body: {
        accepted: 1, duplicates: 1, rejected: 1,
        results: [
          { index: 0, id: ids(records)[0], status: 'accepted' },
          { index: 1, id: ids(records)[1], status: 'duplicate' },
          { index: 2, id: null, status: 'rejected', code: 'AUDITRAIL_ERR_ORG_MISMATCH', message: 'another org' },
        ],
      },
    });
    expect(await exporter.export(records)).toEqual({ code: 'success', rejected: [{ id: ids(records)[2], code: 'AUDITRAIL_ERR_ORG_MISMATCH', message: 'another org' }] });
  });

  for (const [status, code] of [[408, undefined], [429, 'AUDITRAIL_ERR_RATE_LIMITED'], [500, 'AUDITRAIL_ERR_INTERNAL'], [502, undefined], [503, 'AUDITRAIL_ERR_QUEUE_FULL'], [504, undefined], [507, 'AUDITRAIL_ERR_STORAGE_FULL']] as const) {
    it(`maps ${status} to retryable${code ? ` (${code})` : ''}`, async () => {
      exporter = createHttpExporter({ url: server.url, retry: false });
      server.script(code ? problem(status, code) : { status, body: 'proxy says no' });
      const r = await exporter.export(batch(1));
      expect(r.code).toBe('retryable');
      if (r.code !== 'retryable') return;
      expect(r.error.message).toContain(`HTTP ${status}`);
      if (code) expect(r.error).toMatchObject({ code });
    });
  }

  for (const [status, code] of [[400, 'AUDITRAIL_ERR_BODY_MALFORMED'], [401, 'AUDITRAIL_ERR_UNAUTHENTICATED'], [403, 'AUDITRAIL_ERR_SCOPE_MISSING'], [404, undefined], [409, undefined], [415, 'AUDITRAIL_ERR_MEDIA_TYPE_UNSUPPORTED']] as const) {
    it(`maps ${status} to failure and never retries it`, async () => {
      exporter = createHttpExporter({ url: server.url, retry: { initialBackoffMs: 1, maxBackoffMs: 1 } });
      server.script(code ? problem(status, code) : { status });
      const r = await exporter.export(batch(2));
      expect(r.code).toBe('failure');
      if (code && r.code === 'failure') expect(r.error).toMatchObject({ code });
      expect(server.requests).toHaveLength(1);
    });
  }

  it('maps a refused connection and a connection closed mid-request to retryable', async () => {
    exporter = createHttpExporter({ url: `http://127.0.0.1:${await closedPort()}`, retry: false });
    const refused = await exporter.export(batch(1));
    expect(refused).toMatchObject({ code: 'retryable', error: { code: 'AUDITRAIL_ERR_SERVER_UNREACHABLE' } });
    const cut = createHttpExporter({ url: server.url, retry: false });
    server.script({ status: 0, destroy: true });
    expect((await cut.export(batch(1))).code).toBe('retryable');
  });

  it('gives up on a server that does not answer within timeoutMs, as retryable', async () => {
    exporter = createHttpExporter({ url: server.url });
    const hang = await startHangingServer();
    const slow = createHttpExporter({ url: hang.url, timeoutMs: 300, retry: false });
    const r = await slow.export(batch(1));
    expect(r).toMatchObject({ code: 'retryable', error: { code: 'AUDITRAIL_ERR_SERVER_UNREACHABLE' } });
    expect((r as { error: Error }).error.message).toContain('no answer within');
    await hang.close();
  });

  it('retries retryable answers within timeoutMs and succeeds once the server recovers', async () => {
    exporter = createHttpExporter({ url: server.url, retry: { initialBackoffMs: 10, maxBackoffMs: 20 } });
    server.script(problem(503, 'AUDITRAIL_ERR_QUEUE_FULL'), { status: 502 });
    const records = batch(4);
    expect(await exporter.export(records)).toEqual({ code: 'success', rejected: [] });
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.records.map(idOf).join() === ids(records).join())).toBe(true);
  });

  it("honours Retry-After in seconds over its own shorter backoff", async () => {
    exporter = createHttpExporter({ url: server.url, retry: { initialBackoffMs: 1, maxBackoffMs: 1 } });
    server.script({ ...problem(429, 'AUDITRAIL_ERR_RATE_LIMITED'), headers: { 'retry-after': '1' } });
    expect((await exporter.export(batch(1))).code).toBe('success');
    const [first, second] = server.requests;
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(950);
  });

  it('hands a Retry-After that passes its deadline back to the caller instead of waiting', async () => {
    exporter = createHttpExporter({ url: server.url, timeoutMs: 2_000, retry: { initialBackoffMs: 1, maxBackoffMs: 1 } });
    server.script({ ...problem(503, 'AUDITRAIL_ERR_QUEUE_FULL'), headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } });
    const r = await exporter.export(batch(1));
    expect(r.code).toBe('retryable');
    expect((r as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(25_000);
    expect(server.requests).toHaveLength(1);
  });

  it('splits a batch the server refuses for one record until that record is alone, and rejects only it', async () => {
    exporter = createHttpExporter({ url: server.url, gzip: false });
    const records = batch(9);
    const bad = ids(records)[6];
    // the server refuses any request holding the bad record, as it does a too-deep record
    for (let i = 0; i < 20; i++) server.script((req) => (req.records.some((r) => idOf(r) === bad) ? problem(422, 'AUDITRAIL_ERR_RECORD_TOO_DEEP') : undefined));
    const r = await exporter.export(records);
    expect(r).toMatchObject({ code: 'success', rejected: [{ id: bad, code: 'AUDITRAIL_ERR_RECORD_TOO_DEEP' }] });
    expect([...server.stored].sort()).toEqual(ids(records).filter((id) => id !== bad).sort());
  });

  it('splits a batch over the server body limit (413) into batches that fit', async () => {
    exporter = createHttpExporter({ url: server.url, gzip: false });
    for (let i = 0; i < 20; i++) server.script((req) => (req.records.length > 3 ? problem(413, 'AUDITRAIL_ERR_BODY_TOO_LARGE') : undefined));
    const records = batch(10);
    expect(await exporter.export(records)).toEqual({ code: 'success', rejected: [] });
    expect(server.stored).toEqual(ids(records));
  });

  it('refuses bad options at once, listing every problem', () => {
    let error: unknown;
    try {
      createHttpExporter({ url: 'ftp://x', timeoutMs: -1, gzip: 'yes' } as never);
    } catch (err) {
      error = err;
    }
    expect(isAuditrailError(error, 'OPTIONS_INVALID')).toBe(true);
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(['gzip', 'timeoutMs', 'url']);
    exporter = createHttpExporter({ url: server.url });
  });

  it('answers failure after shutdown', async () => {
    exporter = createHttpExporter({ url: server.url });
    await exporter.shutdown();
    expect((await exporter.export(batch(1))).code).toBe('failure');
    expect(server.requests).toHaveLength(0);
  });
});

/** A server that accepts connections and never answers. */
async function startHangingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const s = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {});
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const so of sockets) so.destroy();
        s.close(() => r());
      }),
  };
}
