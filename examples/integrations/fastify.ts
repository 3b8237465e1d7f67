/** `npx tsx examples/integrations/fastify.ts`: the Fastify plugin recording a request whose handler fails. */
import Fastify from 'fastify';
import { createMemoryStorage } from '../../src/core/index.js';
import { createAuditLogger } from '../../src/sdk/index.js';
import { auditFastify } from '../../src/sdk/integrations/http-middleware/fastify.js';
import { printRecorded } from './print-interactions.js';

const logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'acme', agentId: 'ops-agent' } });
const app = Fastify();
await app.register(auditFastify({ logger, routes: ['/api/*'], identify: (r) => ({ userId: r.header('x-user') }) }));
app.post('/api/execute', async (request) => {
  request.audit?.set({ model: 'gpt-4o', provider: 'openai' });
  request.audit?.thought('Scale the deployment down first.');
  throw new Error('kubectl: connection refused');
});
const res = await app.inject({ method: 'POST', url: '/api/execute', headers: { 'x-user': 'alice' }, payload: { question: 'scale payments to 0' } });
console.log('status', res.statusCode);
await app.close();
await printRecorded(logger);
await logger.shutdown();
