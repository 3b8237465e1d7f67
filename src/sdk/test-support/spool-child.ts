/**
 * Child process for the spool tests: a logger exporting over HTTP with a disk spool. argv[2] is
 * a JSON config: { url, directory, count, mode }. It records `count` events (actionId `a<i>`),
 * waits until they are exported or on disk, prints `flushed <stats JSON>` and then, by mode:
 * - 'exit': exits at once (what is on disk stays for the next process);
 * - 'stay': keeps running (the test kills it) and prints `stats <JSON>` every 100 ms;
 * - 'drain': waits until the spool is empty, then shuts down and prints `drained <stats JSON>`;
 * - 'exit-now': waits for the spool to open, records, and calls process.exit(0) at once: no
 *   flush, no shutdown (what is pending is left to the exit hook);
 * - 'sigterm': waits for the spool to open, records, prints `ready` and stays alive until a
 *   signal; the exit hooks flush on it (for at most 5 s) and then die of it.
 * With count 0 it records nothing: a restarted process that only replays its spool.
 */
import { writeSync } from 'node:fs';
import { createHttpExporter } from '../http/http-exporter.js';
import { createAuditLogger } from '../logger.js';

interface Config {
  url: string;
  directory: string;
  count: number;
  mode: 'exit' | 'stay' | 'drain' | 'exit-now' | 'sigterm';
  maxBatchSize?: number;
  exportTimeoutMs?: number;
}

const config = JSON.parse(process.argv[2]!) as Config;
const say = (line: string) => writeSync(1, `${line}\n`);
const logger = createAuditLogger({
  exporter: createHttpExporter({ url: config.url, timeoutMs: 1_000, retry: { maxRetries: 1, initialBackoffMs: 10, maxBackoffMs: 50 } }),
  context: { orgId: 'org_1', userId: 'u', agentId: 'spool-child', sessionId: 's' },
  maxBatchSize: config.maxBatchSize ?? 50,
  flushIntervalMs: 20,
  exportTimeoutMs: config.exportTimeoutMs ?? 1_000,
  retry: { initialBackoffMs: 10, maxBackoffMs: 50 },
  spool: { directory: config.directory, replay: { initialBackoffMs: 20, maxBackoffMs: 200 } },
  onDiagnostic: (d) => say(`diagnostic ${d.code} ${d.outcome} ${d.count}`),
  flushOnExit: config.mode === 'exit-now' || config.mode === 'sigterm',
});

if (config.mode === 'sigterm') {
  while (logger.stats().spool?.state !== 'ready') await new Promise((r) => setTimeout(r, 5));
  for (let i = 0; i < config.count; i++) logger.actionStarted({ actionId: `a${i}`, actionName: 'step' });
  setInterval(() => {}, 1_000);
  say('ready');
  await new Promise(() => {});
}

if (config.mode === 'exit-now') {
  while (logger.stats().spool?.state !== 'ready') await new Promise((r) => setTimeout(r, 5));
  for (let i = 0; i < config.count; i++) logger.actionStarted({ actionId: `a${i}`, actionName: 'step' });
  say(`exiting ${JSON.stringify(logger.stats())}`);
  process.exit(0);
}

for (let i = 0; i < config.count; i++) logger.actionStarted({ actionId: `a${i}`, actionName: 'step' });
await logger.flush();
say(`flushed ${JSON.stringify(logger.stats())}`);

if (config.mode === 'exit') process.exit(0);
if (config.mode === 'stay') setInterval(() => say(`stats ${JSON.stringify(logger.stats())}`), 100);
if (config.mode === 'drain') {
  while (logger.stats().spool?.state !== 'ready' || logger.stats().spool!.pendingRecords > 0) await new Promise((r) => setTimeout(r, 20));
  await logger.shutdown();
  say(`drained ${JSON.stringify(logger.stats())}`);
}
