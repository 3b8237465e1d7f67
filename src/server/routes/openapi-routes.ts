import type { FastifyInstance } from 'fastify';
import '../http/request-context.js';
import { DOCS_PAGE } from '../openapi/docs-page.js';
import { buildOpenApiDocument } from '../openapi/openapi-document.js';

/** GET /openapi.json and GET /docs, public. The document is built once. */
export function openApiRoutes(version: string) {
  return (app: FastifyInstance): void => {
    let doc: string | undefined;
    app.get('/openapi.json', { config: { public: true } }, (_request, reply) => {
      doc ??= JSON.stringify(buildOpenApiDocument(version));
      return reply.type('application/json; charset=utf-8').send(doc);
    });
    app.get('/docs', { config: { public: true } }, (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'").send(DOCS_PAGE),
    );
  };
}
