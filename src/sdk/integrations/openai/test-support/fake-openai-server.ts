import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatChunks, chatCompletion, errorBody, responseEvents, responseObject, type FakeTurn } from './openai-wire.js';

/** What the fake received. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Record<string, unknown>;
}

/** A reply: a model turn, an error, or a stream that stops after `chunks` chunks and then hangs (for aborts). */
export type FakeReply = FakeTurn | { error: { status: number; message: string } } | { hang: { afterChunks: number; turn: FakeTurn } };

export interface FakeOpenAIServer {
  /** Base URL to give the client (`…/v1`). */
  readonly baseURL: string;
  readonly requests: readonly FakeRequest[];
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  /** Decides each reply from the request (the conversation so far); `/v1/chat/completions` and `/v1/responses`. */
  respond(request: FakeRequest): FakeReply;
  /** Delay between streamed chunks (real time, so that time to first token is observable). Default 0. */
  chunkDelayMs?: number;
  port?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': 'req_fake_1' });
  res.end(text);
}

/**
 * A local server that speaks the OpenAI HTTP API for the `openai` package: POST /v1/chat/completions
 * (JSON, or SSE `data: {...}` chunks ending in `data: [DONE]`, with tool call deltas and usage in a
 * last chunk when `stream_options.include_usage`), POST /v1/responses (JSON, or its `event:`/`data:`
 * SSE event stream), and JSON error answers (429/500...). Replies come from `respond`.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeOpenAIServer> {
  const requests: FakeRequest[] = [];
  const delay = options.chunkDelayMs ?? 0;

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0]!;
      const body = await readJson(req);
      const request: FakeRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
      requests.push(request);
      if (req.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/responses')) {
        sendJson(res, 404, errorBody(404, `Unknown path ${path}`));
        return;
      }
      const reply = options.respond(request);
      if ('error' in reply) {
        sendJson(res, reply.error.status, errorBody(reply.error.status, reply.error.message));
        return;
      }
      const hang = 'hang' in reply ? reply.hang : undefined;
      const turn = hang ? hang.turn : (reply as FakeTurn);
      const model = typeof body.model === 'string' ? body.model : 'gpt-4o';
      const chat = path === '/v1/chat/completions';
      if (body.stream !== true) {
        sendJson(res, 200, chat ? chatCompletion(turn, model) : responseObject(turn, model, turn.finishReason === 'length' ? 'incomplete' : 'completed'));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req_fake_1' });
      const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      const frames = chat
        ? chatChunks(turn, model, includeUsage).map((c) => `data: ${JSON.stringify(c)}\n\n`)
        : responseEvents(turn, model).map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
      let sent = 0;
      for (const frame of frames) {
        if (res.destroyed) return;
        if (hang && sent === hang.afterChunks) return; // keeps the connection open until the client aborts
        if (delay > 0) await sleep(delay);
        res.write(frame);
        sent++;
      }
      if (chat) res.write('data: [DONE]\n\n');
      res.end();
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, String(err)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
