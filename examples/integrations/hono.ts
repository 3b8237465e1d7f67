/** `npx tsx examples/integrations/hono.ts`: the Hono middleware recording one request. */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createMemoryStorage } from '../../src/core/index.js';
import { createAuditLogger } from '../../src/sdk/index.js';
import { auditHono, currentAudit, type AuditVariables } from '../../src/sdk/integrations/http-middleware/hono.js';
import { printRecorded } from './print-interactions.js';

const logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'acme', agentId: 'ops-agent' } });
const app = new Hono<{ Variables: AuditVariables }>();
app.use(auditHono({ logger, routes: ['/api/diagnose'], defaults: { model: 'gpt-4o', cluster: 'prod-eu' } }));
app.post('/api/diagnose', async (c) => {
  const { question } = await c.req.json<{ question: string }>();
  const turn = c.get('audit'); // the same object as currentAudit()
  turn.thought('Check recent events in the namespace.');
  const events = await turn.tool('get_events', { namespace: 'payments' }, () => ['Back-off restarting failed container']);
  currentAudit()?.answer(`payments: ${events[0]}`);
  return c.json({ question, answer: `payments: ${events[0]}` });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const res = await fetch(`${url}/api/diagnose`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Why is payments restarting?' }) });
console.log('set-cookie:', res.headers.getSetCookie()[0]);
await res.json();
server.close();
await printRecorded(logger);
await logger.shutdown();
