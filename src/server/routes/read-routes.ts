import type { FastifyInstance } from 'fastify';
import { AuditrailError } from '../../core/errors.js';
import { parseQuery } from '../../core/query.js';
import { accessDetails, param, queryInput } from '../http/query-input.js';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';
import { createTenantReader } from '../tenancy/tenant-reader.js';

const read = { config: { scope: 'read' as const } };

/**
 * The query API: events, interactions (with thoughts, tool calls and metrics), sessions; every
 * filter of the query model as a query parameter; keyset pagination (`cursor` = the previous
 * page's `nextCursor`). Every read is scoped to the key's org and audited.
 */
export function readRoutes(ctx: ServerContext) {
  return (app: FastifyInstance): void => {
    app.get('/v1/events', read, async (request) => {
      const query = parseQuery(queryInput(request));
      await ctx.access.record(request.auth!, 'auditrail.query', accessDetails(request, { ...query }));
      return createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption).queryEvents(query);
    });

    app.get('/v1/events/count', read, async (request) => {
      const query = parseQuery(queryInput(request));
      await ctx.access.record(request.auth!, 'auditrail.query', accessDetails(request, { ...query }));
      return { count: await createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption).countEvents(query) };
    });

    app.get('/v1/events/:id', read, async (request) => {
      const id = param(request, 'id');
      await ctx.access.record(request.auth!, 'auditrail.query', accessDetails(request, { eventId: id }));
      const event = await createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption).getEvent(id);
      if (!event) throw new AuditrailError('NOT_FOUND', `no event ${id} in this org`);
      return event;
    });

    app.get('/v1/interactions', read, async (request) => {
      const query = parseQuery(queryInput(request));
      await ctx.access.record(request.auth!, 'auditrail.query', accessDetails(request, { ...query }));
      return createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption).queryInteractions(query);
    });

    app.get('/v1/interactions/count', read, async (request) => {
      const query = parseQuery(queryInput(request));
      await ctx.access.record(request.auth!, 'auditrail.query', accessDetails(request, { ...query }));
      return { count: await createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption).countInteractions(query) };
    });

    app.get('/v1/interactions/:id', read, async (request) => {
      const id = param(request, 'id');
      await ctx.access.record(request.auth!, 'auditrail.query', accessDetails(request, { interactionId: id }));
      const reader = createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption);
      const interaction = await reader.getInteraction(id);
      if (!interaction) throw new AuditrailError('NOT_FOUND', `no interaction ${id} in this org`);
      // the action events (approvals, rejections) of its tool calls, for a timeline
      const events = await reader.queryEvents(parseQuery({ interactionId: id, order: 'asc', limit: 1000 }));
      return { ...interaction, events: events.items };
    });

    app.get('/v1/sessions', read, async (request) => {
      const query = parseQuery(queryInput(request));
      await ctx.access.record(request.auth!, 'auditrail.query', accessDetails(request, { ...query }));
      return createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption).querySessions(query);
    });

    app.get('/v1/sessions/:id', read, async (request) => {
      const sessionId = param(request, 'id');
      const input = queryInput(request, ['sessionId']);
      const query = parseQuery({ order: 'asc', ...input, sessionId });
      await ctx.access.record(request.auth!, 'auditrail.query', accessDetails(request, { ...query }));
      const reader = createTenantReader(ctx.storage, request.auth!.orgId, ctx.encryption);
      const sessions = await reader.querySessions(parseQuery({ sessionId, limit: 1 }));
      const session = sessions.items[0];
      if (!session) throw new AuditrailError('NOT_FOUND', `no session ${sessionId} in this org`);
      const page = await reader.queryInteractions(query);
      return { session, interactions: page.items, nextCursor: page.nextCursor };
    });
  };
}
