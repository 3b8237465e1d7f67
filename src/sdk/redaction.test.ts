import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage, parseQuery, type AuditRecord } from '../core/index.js';
import type { Diagnostic } from './diagnostics.js';
import { createHttpExporter, createAuditLogger } from './index.js';

const SECRET = 'sk-proj-Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH';
const EMAIL = 'alice.wong@example.com';
const ctx = { orgId: 'o1', userId: 'u1', agentId: 'a1', sessionId: 's1' };

async function closedPortUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('redaction in the SDK pipeline', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('redacts every field before the storage sees it, and counts by detector', async () => {
    const storage = createMemoryStorage();
    const logger = createAuditLogger({ storage, context: ctx, flushOnExit: false });
    const turn = logger.interaction({ question: `my key is ${SECRET}, mail ${EMAIL}`, model: 'gpt-4o' });
    turn.thought(`contact ${EMAIL}`);
    turn.toolCall('http', { headers: { authorization: `Bearer ${SECRET}` } }).end(JSON.stringify({ owner: EMAIL }));
    turn.answer('done');
    turn.end();
    logger.actionStarted({ actionId: 'x', actionName: 'send_mail', actionParams: { to: EMAIL } });
    await logger.shutdown();

    const stored = JSON.stringify(await storage.queryInteractions(parseQuery({}))) + JSON.stringify(await storage.queryEvents(parseQuery({})));
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(EMAIL);
    expect(stored).toContain('[REDACTED');
    const counts = logger.stats().redactions ?? {};
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(counts)).not.toContain(EMAIL);
  });

  it('keeps values as recorded with redaction: false', async () => {
    const storage = createMemoryStorage();
    const logger = createAuditLogger({ storage, context: ctx, flushOnExit: false, redaction: false });
    logger.actionStarted({ actionId: 'x', actionName: 'send_mail', actionParams: { to: EMAIL } });
    await logger.shutdown();
    expect(JSON.stringify((await storage.queryEvents(parseQuery({}))).items)).toContain(EMAIL);
  });

  it('fails closed: a redactor that throws rejects the record instead of sending it in clear', async () => {
    const storage = createMemoryStorage();
    const diagnostics: Diagnostic[] = [];
    const logger = createAuditLogger({
      storage,
      context: ctx,
      flushOnExit: false,
      onDiagnostic: (d) => diagnostics.push(d),
      redaction: { redact: (_r: AuditRecord): AuditRecord => { throw new Error('detector crashed'); } },
    });
    logger.actionStarted({ actionId: 'x', actionName: 'send_mail', actionParams: { to: EMAIL } });
    await logger.shutdown();
    expect(await storage.countEvents(parseQuery({}))).toBe(0);
    expect(logger.stats().rejected).toBe(1);
    expect(diagnostics.some((d) => d.code === 'AUDITRAIL_ERR_REDACTION_FAILED')).toBe(true);
  });

  it('refuses an unsafe redaction policy at construction, naming the option', () => {
    expect(() => createAuditLogger({ storage: createMemoryStorage(), flushOnExit: false, redaction: { customRules: [{ name: 'bad', pattern: '(a+)+$' }] } })).toThrow(/redaction/);
  });

  it('never writes a secret to the disk spool while the server is down', async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditrail-redact-spool-'));
    const logger = createAuditLogger({
      exporter: createHttpExporter({ url: await closedPortUrl(), apiKey: 'atr_test' }),
      context: ctx,
      flushOnExit: false,
      exportTimeoutMs: 200,
      retry: { initialBackoffMs: 5, maxBackoffMs: 20 },
      spool: { directory: dir },
      onDiagnostic: () => undefined, // the server is down on purpose: no warnings on the console
    });
    for (let i = 0; i < 20; i++) logger.actionStarted({ actionId: `a${i}`, actionName: 'call', actionParams: { key: SECRET, mail: EMAIL } });
    await logger.flush();
    expect(logger.stats().spooled).toBe(20);
    const files = await readdir(dir);
    let bytes = '';
    for (const f of files) bytes += await readFile(join(dir, f), 'latin1');
    expect(bytes).toContain('a19');
    expect(bytes).not.toContain(SECRET);
    expect(bytes).not.toContain(EMAIL);
    await logger.shutdown();
  });
});
