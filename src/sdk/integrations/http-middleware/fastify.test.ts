import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { auditFastify } from './fastify.js';
import { httpAuditContract } from './test-support/http-audit-contract.js';
import { sleep } from './test-support/listen.js';

httpAuditContract('Fastify', async (options, handlers) => {
  const app = Fastify({ forceCloseConnections: true });
  await app.register(auditFastify(options));
  app.get('/health', async () => ({ ok: true }));
  app.post('/api/:name', async (request, reply) => {
    const r = await handlers.handle(request.url, request.audit ?? undefined, request.body);
    reply.code(r.status);
    if (r.chunks === undefined) return r.json;
    const chunks = r.chunks;
    return reply.send(
      Readable.from(
        (async function* () {
          for (const chunk of chunks) {
            yield chunk;
            await sleep(r.chunkDelayMs ?? 0);
          }
        })(),
      ),
    );
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
});
