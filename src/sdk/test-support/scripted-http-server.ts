import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the server received, decoded. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Raw bytes as sent (possibly gzip). */
  readonly rawBytes: number;
  /** The JSON body, decompressed and parsed. */
  readonly records: Record<string, unknown>[];
  readonly atMs: number;
}

/** An answer; without `status`, the records are stored and answered as auditrail would (after delayMs). */
export interface ScriptedAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Close the connection without answering (a crash mid-request). */
  readonly destroy?: boolean;
  /** Answer after this long. */
  readonly delayMs?: number;
}

/** A fixed answer, or a function of the request; undefined from the function answers as auditrail would. */
type Answer = ScriptedAnswer | ((req: ReceivedRequest) => ScriptedAnswer | undefined);

/**
 * A real HTTP server (node:http on an ephemeral port) that answers POST /v1/events from a script,
 * and like auditrail with one result per record when the script is empty: accepted the first
 * time an id is seen, duplicate after. It keeps every id it stored, in arrival order.
 */
export interface ScriptedHttpServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Ids stored (accepted), in order; duplicates are not repeated. */
  readonly stored: string[];
  /** The records stored, in order. */
  readonly storedRecords: Record<string, unknown>[];
  /** Records answered `duplicate`. */
  readonly duplicates: number;
  script(...answers: Answer[]): void;
  /** The answer when the script is empty (undefined: answer as auditrail would). */
  otherwise(answer: Answer | undefined): void;
  close(): Promise<void>;
}

export function idOf(r: Record<string, unknown>): string {
  return String(r.eventId ?? r.interactionId);
}

export async function startScriptedHttpServer(port = 0): Promise<ScriptedHttpServer> {
  const requests: ReceivedRequest[] = [];
  const stored: string[] = [];
  const storedRecords: Record<string, unknown>[] = [];
  let duplicates = 0;
  const seen = new Set<string>();
  const scripted: Answer[] = [];
  let fallback: Answer | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const received: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBytes: raw.length, records: text ? (JSON.parse(text) as Record<string, unknown>[]) : [], atMs: Date.now() };
      requests.push(received);
      const next = scripted.shift() ?? fallback;
      const given = typeof next === 'function' ? next(received) : next;
      const answer = given?.status === undefined ? { ...store(received.records), delayMs: given?.delayMs } : given;
      const send = () => {
        if (answer.destroy) {
          req.socket.destroy();
          return;
        }
        const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(body);
      };
      if (answer.delayMs === undefined) send();
      else setTimeout(send, answer.delayMs).unref();
    });
  });
  function store(records: Record<string, unknown>[]): ScriptedAnswer {
    const results = records.map((r, index) => {
      const id = idOf(r);
      if (seen.has(id)) {
        duplicates++;
        return { index, id, status: 'duplicate' };
      }
      seen.add(id);
      stored.push(id);
      storedRecords.push(r);
      return { index, id, status: 'accepted' };
    });
    return { status: 200, body: { accepted: results.filter((r) => r.status === 'accepted').length, duplicates: results.filter((r) => r.status === 'duplicate').length, rejected: 0, results } };
  }
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    requests,
    stored,
    storedRecords,
    get duplicates() {
      return duplicates;
    },
    script: (...answers) => scripted.push(...answers),
    otherwise: (answer) => {
      fallback = answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
