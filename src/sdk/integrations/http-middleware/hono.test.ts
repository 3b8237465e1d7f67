import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditHono, type AuditVariables } from './hono.js';
import { httpAuditContract } from './test-support/http-audit-contract.js';
import { sleep } from './test-support/listen.js';

httpAuditContract('Hono', async (options, handlers) => {
  const app = new Hono<{ Variables: AuditVariables }>();
  app.use(auditHono(options));
  app.onError((err, c) => c.json({ error: err.message }, 500));
  app.get('/health', (c) => c.json({ ok: true }));
  app.post('/api/:name', async (c) => {
    const r = await handlers.handle(c.req.path, c.get('audit'), await c.req.json());
    if (r.chunks === undefined) return c.json(r.json, r.status as 200);
    const chunks = r.chunks;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const chunk of chunks) {
          controller.enqueue(encoder.encode(chunk));
          await sleep(r.chunkDelayMs ?? 0);
        }
        controller.close();
      },
    });
    return c.body(body, r.status as 200);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
