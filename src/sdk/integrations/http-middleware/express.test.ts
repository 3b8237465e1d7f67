import { createServer } from 'node:http';
import express from 'express';
import type { AuditScope } from '../scope/audit-scope.js';
import { auditExpress, expressAudit } from './express.js';
import { httpAuditContract } from './test-support/http-audit-contract.js';
import { listen, sleep } from './test-support/listen.js';

httpAuditContract('Express', async (options, handlers) => {
  const audit = auditExpress(options);
  const app = express();
  app.use(express.json());
  app.use(audit.middleware);
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/api/*path', async (req, res) => {
    const scope = res.locals.audit as AuditScope | undefined;
    if (scope !== expressAudit(req)) throw new Error('res.locals.audit and expressAudit(req) differ');
    const reply = await handlers.handle(req.path, scope, req.body);
    res.status(reply.status);
    if (reply.chunks === undefined) {
      res.json(reply.json);
      return;
    }
    for (const chunk of reply.chunks) {
      res.write(chunk);
      await sleep(reply.chunkDelayMs ?? 0);
    }
    res.end();
  });
  app.use(audit.errorHandler);
  return listen(createServer(app));
});
