/**
 * Child process for exit-hooks.test.ts: records a few events with a logger that exports to a
 * file, then ends in the way argv[2] says. argv[3] is the output file.
 */
import { appendFileSync, writeSync } from 'node:fs';
import type { AuditRecord } from '../../core/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { createAuditLogger } from '../logger.js';

const [mode, out] = process.argv.slice(2) as [string, string];
const logger = createAuditLogger({
  context: { orgId: 'o', userId: 'u', agentId: 'a', sessionId: 's' },
  flushIntervalMs: 3_600_000,
  exporter: {
    name: 'file',
    export: async (records: readonly AuditRecord[]) => {
      await new Promise((r) => setTimeout(r, 20)); // an export that takes a little while
      appendFileSync(out, records.map((r) => `${r.kind === 'event' ? r.eventId : r.interactionId}\n`).join(''));
      return { code: 'success' };
    },
    shutdown: async () => {},
  },
  ...(mode.endsWith('-nohook') ? {} : { onDiagnostic: (d: Diagnostic) => writeSync(2, `diagnostic ${d.code} ${d.outcome} ${d.count}\n`) }),
});

for (let i = 0; i < 3; i++) logger.actionStarted({ actionId: `a${i}`, actionName: 'step' });

if (mode === 'signal' || mode === 'signal-with-handler') {
  if (mode === 'signal-with-handler') {
    process.on('SIGTERM', () => {
      writeSync(1, 'app handler\n');
      setTimeout(() => process.exit(7), 300);
    });
  }
  setInterval(() => {}, 1_000); // stays alive until signalled
  writeSync(1, 'ready\n');
} else if (mode.startsWith('exit-now')) {
  process.exit(0);
}
// mode 'return': nothing more; the event loop runs dry and beforeExit flushes.
