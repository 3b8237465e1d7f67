import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { AuditrailError, errorMessage } from '../../core/errors.js';
import { isChainStore, type ChainStore } from '../../integrity/chain-store.js';
import { toAuditrailError } from '../http/problem.js';
import { accessDetails } from '../http/query-input.js';
import '../http/request-context.js';
import type { ServerContext } from '../server-context.js';

/** Progress lines at most this often while verify streams (the last one always goes out). */
const PROGRESS_EVERY_MS = 250;

/**
 * The integrity of the key's org (docs/integrity.md):
 * - GET /v1/checkpoints: its signed checkpoints, oldest first, and the public keys that verify them;
 * - GET /v1/proofs/{id}: an inclusion proof of one record, for a third party (verifyInclusionProof);
 * - GET /v1/chain: the org's chain for an independent verifier (NDJSON: header, checkpoints, records);
 * - GET /v1/verify: recomputes its chain from the stored records and checks it against the
 *   checkpoints (database and external log) and the chain head. JSON by default; with
 *   `Accept: application/x-ndjson` (or `?progress=true`) NDJSON lines `{"type":"progress",...}`
 *   then one `{"type":"result",...report}` (or `{"type":"error",...}`).
 */
export function integrityRoutes(ctx: ServerContext) {
  const chain = (): ChainStore => {
    if (!isChainStore(ctx.storage)) throw new AuditrailError('INTEGRITY_UNAVAILABLE', `the ${ctx.storage.name} storage keeps no integrity chain`);
    return ctx.storage;
  };
  return (app: FastifyInstance): void => {
    app.get('/v1/checkpoints', { config: { scope: 'read' } }, async (request) => {
      const store = chain();
      const orgId = request.auth!.orgId;
      await ctx.access.record(request.auth!, 'auditrail.checkpoints', accessDetails(request, {}));
      return { orgId, publicKeys: store.publicKeys(), items: await store.checkpoints(orgId) };
    });

    app.get('/v1/chain', { config: { scope: 'read' } }, async (request, reply) => {
      const store = chain();
      const orgId = request.auth!.orgId;
      await ctx.access.record(request.auth!, 'auditrail.chain-export', accessDetails(request, {}));
      return streamNdjson(request, reply, (write, signal) => store.exportChain(orgId, write, { signal }), 'chain export');
    });

    app.get('/v1/proofs/:id', { config: { scope: 'read' } }, async (request) => {
      const store = chain();
      const { id } = request.params as { id: string };
      await ctx.access.record(request.auth!, 'auditrail.proof', accessDetails(request, { id }));
      return store.proveRecord(request.auth!.orgId, id);
    });

    app.get('/v1/verify', { config: { scope: 'read' } }, async (request, reply) => {
      const store = chain();
      const orgId = request.auth!.orgId;
      await ctx.access.record(request.auth!, 'auditrail.verify', accessDetails(request, {}));
      if (!wantsProgress(request)) {
        // a client that goes away stops the scan (it may cover millions of records)
        const gone = new AbortController();
        reply.raw.once('close', () => gone.abort());
        return store.verifyChain(orgId, { signal: gone.signal });
      }
      return streamNdjson(
        request,
        reply,
        async (write, signal) => {
          let last = 0;
          const report = await store.verifyChain(orgId, {
            signal,
            onProgress: (done, total) => {
              const now = Date.now();
              if (now - last < PROGRESS_EVERY_MS && done !== total) return;
              last = now;
              void write({ type: 'progress', done, total: total ?? null });
            },
          });
          await write({ type: 'result', ...report });
        },
        'verify',
      );
    });
  };
}

type WriteLine = (line: object) => Promise<void>;

/**
 * Answers NDJSON written by `run` (with backpressure); a failure after the answer began becomes a
 * last `{"type":"error"}` line, and a client that goes away aborts `signal`, stopping the scan.
 */
function streamNdjson(request: FastifyRequest, reply: FastifyReply, run: (write: WriteLine, signal: AbortSignal) => Promise<void>, what: string): FastifyReply {
  const gone = new AbortController();
  reply.raw.once('close', () => gone.abort());
  const out = new PassThrough();
  const write: WriteLine = async (line) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  void run(write, gone.signal)
    .catch((err: unknown) => {
      const e = toAuditrailError(err);
      if (!gone.signal.aborted) request.log.error({ err }, `${what} failed`);
      out.write(`${JSON.stringify({ type: 'error', code: e.code, message: errorMessage(e) })}\n`);
    })
    .finally(() => out.end());
  return reply.type('application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(out);
}

function wantsProgress(request: FastifyRequest): boolean {
  const q = request.query as Record<string, unknown> | undefined;
  return q?.progress === 'true' || q?.progress === '1' || (request.headers.accept ?? '').includes('application/x-ndjson');
}
