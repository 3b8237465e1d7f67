import { uuidv7 } from '../../../src/core/ids.js';
import { parseRecordOrThrow, type AuditRecord } from '../../../src/core/record.js';
import type { Exporter } from '../../../src/core/exporter.js';
import { createHttpExporter } from '../../../src/sdk/http/http-exporter.js';

export const LOAD_AGENT = 'cluster-load';

export interface Load {
  /** Ids of every record whose batch an ingest node answered 200 for. */
  readonly acked: Set<string>;
  /** Records sent (acknowledged or not). */
  sent(): number;
  /** Batches that got no 200 from the node tried first (and were sent again elsewhere). */
  failovers(): number;
  stop(): Promise<void>;
}

function batch(org: string, client: number, n: number): AuditRecord[] {
  return Array.from({ length: n }, (_, i) =>
    parseRecordOrThrow({
      kind: 'event',
      eventId: uuidv7(),
      eventType: 'action_completed',
      timestamp: new Date().toISOString(),
      orgId: org,
      userId: `user-${client}`,
      agentId: LOAD_AGENT,
      sessionId: `s-${client}`,
      actionId: `a-${i}`,
      actionName: 'kubectl_get_pods',
      actionParams: { namespace: 'prod', i },
      success: true,
      durationMs: i,
    }),
  );
}

/**
 * SDK clients (the HTTP exporter of auditrail's SDK, as an agent uses it) sending batches of one
 * org each to the ingest nodes in turn. A batch that does not get a 200 (node killed, 503) is sent
 * again, same ids, to the next node: only what a node acknowledged counts as acknowledged.
 */
export function startLoad(options: { urls: () => string[]; keys: ReadonlyMap<string, string>; clients: number; batchSize: number }): Load {
  const acked = new Set<string>();
  const exporters = new Map<string, Exporter>();
  const exporter = (url: string, key: string) => {
    const k = `${url} ${key}`;
    let e = exporters.get(k);
    if (!e) {
      e = createHttpExporter({ url, apiKey: key, timeoutMs: 6_000, retry: { maxRetries: 1, initialBackoffMs: 100, maxBackoffMs: 500 } });
      exporters.set(k, e);
    }
    return e;
  };
  const orgs = [...options.keys.keys()];
  let stopping = false;
  let sent = 0;
  let failovers = 0;
  let turn = 0;
  const clients = Array.from({ length: options.clients }, async (_, c) => {
    const org = orgs[c % orgs.length]!;
    const key = options.keys.get(org)!;
    while (!stopping) {
      const records = batch(org, c, options.batchSize);
      sent += records.length;
      for (let attempt = 0; attempt < 20 && !stopping; attempt++) {
        const urls = options.urls();
        if (urls.length === 0) break;
        const url = urls[turn++ % urls.length]!;
        const r = await exporter(url, key).export(records);
        if (r.code === 'success' && (r.rejected ?? []).length === 0) {
          for (const rec of records) acked.add(rec.kind === 'event' ? rec.eventId : rec.interactionId);
          break;
        }
        failovers++;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  });
  return {
    acked,
    sent: () => sent,
    failovers: () => failovers,
    async stop() {
      stopping = true;
      await Promise.all(clients);
      await Promise.all([...exporters.values()].map((e) => e.shutdown()));
    },
  };
}
