/**
 * The SDK client of server-kill.test.ts, run as its own process: records `count` events
 * continuously (a tick of `perTick` events every `tickMs`) with the HTTP exporter and a disk
 * spool, against a real auditrail server. It appends every id it records to `<out>/recorded` and
 * every id the server acknowledged (a 200 that did not reject it) to `<out>/acked`, prints
 * `progress <recorded> <stats JSON>` every tick, and once everything is recorded and the spool
 * has drained, shuts down and prints `done <stats JSON>`.
 */
import { appendFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditRecord, Exporter } from '../../../src/core/index.js';
import { createAuditLogger, createHttpExporter } from '../../../src/sdk/index.js';

interface Config {
  url: string;
  apiKey: string;
  spoolDirectory: string;
  out: string;
  count: number;
  perTick: number;
  tickMs: number;
}

const c = JSON.parse(process.argv[2]!) as Config;
const say = (line: string) => writeSync(1, `${line}\n`);
const idOf = (r: AuditRecord) => (r.kind === 'event' ? r.eventId : r.interactionId);

const http = createHttpExporter({ url: c.url, apiKey: c.apiKey, timeoutMs: 1_000, retry: { maxRetries: 2, initialBackoffMs: 50, maxBackoffMs: 200 } });
/** The HTTP exporter, noting what the server acknowledged (live exports and replays alike). */
const exporter: Exporter = {
  name: http.name,
  async export(records) {
    const r = await http.export(records);
    if (r.code === 'success') {
      const rejected = new Set((r.rejected ?? []).map((x) => x.id));
      const acked = records.map(idOf).filter((id) => !rejected.has(id));
      if (acked.length > 0) appendFileSync(join(c.out, 'acked'), `${acked.join('\n')}\n`);
    }
    return r;
  },
  shutdown: () => http.shutdown(),
};

const logger = createAuditLogger({
  exporter,
  context: { orgId: 'default', userId: 'u', agentId: 'delivery-client', sessionId: `run-${process.pid}` },
  maxBatchSize: 100,
  flushIntervalMs: 50,
  exportTimeoutMs: 2_000,
  retry: { initialBackoffMs: 50, maxBackoffMs: 200 },
  spool: { directory: c.spoolDirectory, replay: { initialBackoffMs: 100, maxBackoffMs: 1_000 } },
  flushOnExit: false,
  onDiagnostic: (d) => say(`diagnostic ${d.code} ${d.outcome} ${d.count} ${d.message.slice(0, 160)}`),
});

let recorded = 0;
const timer = setInterval(() => {
  const ids: string[] = [];
  for (let i = 0; i < c.perTick && recorded < c.count; i++, recorded++) {
    const id = logger.actionCompleted({ actionId: `act-${recorded}`, actionName: 'kubectl_get', actionParams: { n: recorded }, durationMs: 3 });
    if (id !== undefined) ids.push(id);
  }
  if (ids.length > 0) appendFileSync(join(c.out, 'recorded'), `${ids.join('\n')}\n`);
  say(`progress ${recorded} ${JSON.stringify(logger.stats())}`);
  if (recorded >= c.count) {
    clearInterval(timer);
    void finish();
  }
}, c.tickMs);

async function finish(): Promise<void> {
  for (;;) {
    await logger.flush();
    const s = logger.stats();
    if (s.queued === 0 && s.inFlight === 0 && s.spool?.state === 'ready' && s.spool.pendingRecords === 0 && s.spool.bufferedRecords === 0) break;
    say(`draining ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await logger.shutdown();
  say(`done ${JSON.stringify(logger.stats())}`);
}
