import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AuditrailError } from '../../core/errors.js';
import { toIssues } from '../../core/record.js';
import { SCOPES } from '../auth/key-store.js';
import { accessDetails, param } from '../http/query-input.js';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';

export const CreateKeyBodySchema = z
  .object({
    scopes: z.array(z.enum(SCOPES)).min(1),
    label: z.string().max(200).optional(),
  })
  .strict();

const admin = { config: { scope: 'admin' as const } };

/**
 * Key management over HTTP, for the admins of an org (the CLI uses it when the server owns the
 * key store, e.g. embedded storage): create (the token is in this answer only), list, revoke.
 * An admin key manages the keys of its own org; keys of other orgs are created with
 * `auditrail keys create --org` against the database.
 */
export function keysRoutes(ctx: ServerContext) {
  return (app: FastifyInstance): void => {
    app.get('/v1/whoami', {}, (request) => {
      const a = request.auth!;
      return { keyId: a.keyId, orgId: a.orgId, scopes: a.scopes };
    });

    app.get('/v1/keys', admin, async (request) => {
      await ctx.access.record(request.auth!, 'auditrail.keys', accessDetails(request, { op: 'list' }));
      return { items: await ctx.keyStore.list(request.auth!.orgId) };
    });

    app.post('/v1/keys', admin, async (request, reply) => {
      const body = CreateKeyBodySchema.safeParse(request.body ?? {});
      if (!body.success) throw new AuditrailError('REQUEST_INVALID', 'scopes must be a non-empty list of ingest, read, admin', { issues: toIssues(body.error) });
      await ctx.access.record(request.auth!, 'auditrail.keys', accessDetails(request, { op: 'create', scopes: body.data.scopes }));
      const created = await ctx.keyStore.create({ orgId: request.auth!.orgId, scopes: body.data.scopes, label: body.data.label ?? null });
      return reply.code(201).send({ ...created.key, token: created.token });
    });

    app.delete('/v1/keys/:id', admin, async (request) => {
      const keyId = param(request, 'id');
      await ctx.access.record(request.auth!, 'auditrail.keys', accessDetails(request, { op: 'revoke', keyId }));
      const done = await ctx.keyStore.revoke(keyId, request.auth!.orgId);
      if (!done) throw new AuditrailError('NOT_FOUND', `no active key ${keyId} in this org`);
      ctx.authenticator.forget(keyId);
      return { keyId, revoked: true };
    });
  };
}
