import { z } from 'zod';
import { LIMITS } from '../../../core/index.js';
import type { AuditLogger } from '../../logger.js';
import { statusOfError } from '../shared/error-status.js';
import { startLlmCall, sessionFor, type LlmCall, type LlmCallTarget, type LlmOutcome, type LlmRequestFacts } from '../shared/llm-call.js';
import { isAuditLogger, LOGGER_MESSAGE, parseOptions } from '../shared/parse-options.js';
import { chatOutcome, chatQuestion, responseOutcome, responsesQuestion } from './openai-outcome.js';
import { chatAccumulator, responsesAccumulator, wrapStream, type StreamAccumulator } from './openai-stream.js';

const Id = z.string().min(1).max(LIMITS.maxIdLength);
const Schema = z
  .object({
    logger: z.custom<AuditLogger>(isAuditLogger, { message: LOGGER_MESSAGE }),
    /** Add calls to currentAudit() (the HTTP middleware's interaction) when there is one. Default true. */
    useCurrentScope: z.boolean().default(true),
    /** Recorded as the provider. Default 'openai' (say 'azure', 'vllm'... for compatible servers). */
    provider: Id.default('openai'),
    /** Session of interactions recorded outside a scope. Default: the logger's, else one per wrapped client. */
    sessionId: Id.optional(),
    /** Added to the metadata of interactions recorded outside a scope. */
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type AuditOpenAIOptions = z.input<typeof Schema>;

type Obj = Record<string, unknown>;
type Create = (body: Obj, options?: unknown) => unknown;

interface APIPromiseLike {
  _thenUnwrap(transform: (data: unknown) => unknown): unknown;
  asResponse(): Promise<unknown>;
}
const isAPIPromise = (v: unknown): v is APIPromiseLike =>
  typeof v === 'object' && v !== null && typeof (v as APIPromiseLike)._thenUnwrap === 'function' && typeof (v as APIPromiseLike).asResponse === 'function';
const isStream = (v: unknown): v is AsyncIterable<unknown> & { controller: AbortController } =>
  typeof v === 'object' && v !== null && Symbol.asyncIterator in v && (v as { controller?: unknown }).controller instanceof AbortController;

interface Endpoint {
  readonly operation: string;
  question(body: Obj): string;
  /** The outcome of a parsed (non-streamed) result, and the status it means. */
  settle(data: unknown): { outcome: LlmOutcome; status: 'success' | 'error'; error?: string };
  accumulator(): StreamAccumulator;
}

const CHAT: Endpoint = {
  operation: 'openai.chat.completions.create',
  question: chatQuestion,
  settle: (data) => ({ outcome: chatOutcome(data), status: 'success' }),
  accumulator: chatAccumulator,
};

const RESPONSES: Endpoint = {
  operation: 'openai.responses.create',
  question: responsesQuestion,
  settle: (data) => {
    const r = responseOutcome(data);
    return r.status === 'error' ? { outcome: r.outcome, status: 'error', error: r.error ?? 'response failed' } : { outcome: r.outcome, status: 'success' };
  },
  accumulator: responsesAccumulator,
};

function auditedCreate(original: Create, thisArg: unknown, endpoint: Endpoint, target: LlmCallTarget, baseUrl: () => string | undefined, provider: string): Create {
  return function create(body, options) {
    const b: Obj = typeof body === 'object' && body !== null ? body : {};
    const facts: LlmRequestFacts = {
      question: endpoint.question(b),
      model: typeof b.model === 'string' && b.model !== '' ? b.model : 'unknown',
      provider,
      baseUrl: baseUrl(),
      operation: endpoint.operation,
    };
    let call: LlmCall;
    try {
      call = startLlmCall(target, facts);
    } catch {
      return original.call(thisArg, body, options); // auditing never stands in the caller's way
    }
    let result: unknown;
    try {
      result = original.call(thisArg, body, options);
    } catch (err) {
      call.finish({}, { status: statusOfError(err), error: err });
      throw err;
    }
    if (!isAPIPromise(result)) return result;
    // Failures of the request (HTTP errors after retries, aborts, timeouts) without reading the body:
    result.asResponse().catch((err: unknown) => call.finish({}, { status: statusOfError(err), error: err }));
    return result._thenUnwrap((data) => {
      if (isStream(data)) return wrapStream(data, call, endpoint.accumulator());
      const settled = endpoint.settle(data);
      call.finish(settled.outcome, settled.status === 'error' ? { status: 'error', error: settled.error } : undefined);
      return data;
    });
  };
}

/** Returns a view of `resource` whose `create` is replaced; everything else is the resource's own. */
function withCreate<T extends object>(resource: T, create: Create): T {
  return new Proxy(resource, { get: (t, p) => (p === 'create' ? create : bindIfFunction(t, p)) });
}

/**
 * Wraps an `openai` client (v6) so that `chat.completions.create` and `responses.create`, streamed or
 * not, are recorded: question (last user message / input), model, provider, base URL, the tool calls
 * the model asked for, answer, reasoning as thoughts, finish reason, token usage, time to first
 * token (streams), duration, and errors (status error; an abort is cancelled, a timeout timeout).
 * The client is not changed; the wrapper returns the same promises (`.withResponse()` works) and
 * streams that iterate the same chunks. Inside a scope (HTTP middleware, runWithAudit) calls are
 * added to the current interaction; outside, each call is an interaction of its own.
 */
export function auditOpenAI<C extends object>(client: C, options: AuditOpenAIOptions): C {
  const o = parseOptions(Schema, options, 'auditOpenAI');
  const target: LlmCallTarget = { logger: o.logger, useCurrentScope: o.useCurrentScope, sessionId: sessionFor(o.logger, o.sessionId), metadata: o.metadata };
  const baseUrl = (): string | undefined => {
    const v = (client as { baseURL?: unknown }).baseURL;
    return typeof v === 'string' ? v : undefined;
  };
  const c = client as { chat?: { completions?: { create?: Create } }; responses?: { create?: Create } };
  const completions = c.chat?.completions;
  const responses = c.responses;
  const wrappedCompletions = completions?.create ? withCreate(completions, auditedCreate(completions.create, completions, CHAT, target, baseUrl, o.provider)) : undefined;
  const wrappedChat = c.chat && wrappedCompletions ? new Proxy(c.chat, { get: (t, p) => (p === 'completions' ? wrappedCompletions : bindIfFunction(t, p)) }) : undefined;
  const wrappedResponses = responses?.create ? withCreate(responses, auditedCreate(responses.create, responses, RESPONSES, target, baseUrl, o.provider)) : undefined;
  return new Proxy(client, {
    get(t, p) {
      if (p === 'chat' && wrappedChat) return wrappedChat;
      if (p === 'responses' && wrappedResponses) return wrappedResponses;
      return bindIfFunction(t, p);
    },
  });
}

function bindIfFunction(t: object, p: string | symbol): unknown {
  const v: unknown = Reflect.get(t, p, t);
  return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
}
