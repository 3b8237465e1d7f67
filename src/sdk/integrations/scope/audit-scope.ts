import type { InteractionStatus, TokenUsage } from '../../../core/index.js';
import type { InteractionBuilder, InteractionInit, ToolCallHandle } from '../../interaction-builder.js';
import type { AuditLogger } from '../../logger.js';

/** The seed-002 fields of an interaction that can be filled in while it runs. */
export interface AuditScopeFields {
  question?: string;
  model?: string;
  provider?: string;
  baseUrl?: string;
  cluster?: string;
  sessionId?: string;
  userId?: string;
  agentId?: string;
  clientIp?: string;
  userAgent?: string;
}

/**
 * Where a suggested value comes from. A value the application sets itself (`set`) always wins;
 * among suggestions, one from the request (an HTTP body field) beats one read off a model call
 * (the prompt an LLM wrapper saw), and the first suggestion of a rank stays.
 */
export type SuggestionSource = 'request' | 'model';

/**
 * An interaction being filled while it runs: an InteractionBuilder whose question, model and the
 * other seed-002 fields can still change until it ends. The HTTP middleware gives one to each
 * audited request; the LLM wrappers (OpenAI, AI SDK, LangChain) add their calls to the current
 * one (`currentAudit()`) instead of recording interactions of their own.
 */
export interface AuditScope extends InteractionBuilder {
  /** Sets fields; they win over any suggestion. */
  set(fields: AuditScopeFields): AuditScope;
  /** Fills fields not set by the application, by rank of source (request beats model). */
  suggest(fields: AuditScopeFields, source: SuggestionSource): AuditScope;
  /** The current value of a field (set or suggested), undefined when nobody filled it. */
  get<K extends keyof AuditScopeFields>(field: K): AuditScopeFields[K];
  /** Adds token usage to the interaction's total (each counter summed). */
  addUsage(usage: TokenUsage): AuditScope;
  /** Merges keys into the interaction's metadata (later keys win). */
  addMetadata(metadata: Record<string, unknown>): AuditScope;
  /** The status (and error message) end() records when it is given none. */
  setStatus(status: InteractionStatus, errorMessage?: string): AuditScope;
  /** The status set with setStatus(), if any. */
  readonly status: InteractionStatus | undefined;
}

export interface AuditScopeOptions {
  /** Used when nobody sets or suggests a model (the record needs one). Default 'unknown'. */
  defaultModel?: string;
  /** Used when nobody sets or suggests a question. Default ''. */
  defaultQuestion?: string;
  metadata?: Record<string, unknown>;
  interactionId?: string;
}

const RANK = { model: 1, request: 2, set: 3 } as const;
const FIELDS = ['question', 'model', 'provider', 'baseUrl', 'cluster', 'sessionId', 'userId', 'agentId', 'clientIp', 'userAgent'] as const satisfies readonly (keyof AuditScopeFields)[];
const USAGE_KEYS = ['inputTokens', 'outputTokens', 'totalTokens', 'reasoningTokens', 'cachedInputTokens'] as const satisfies readonly (keyof TokenUsage)[];

/**
 * Starts an interaction whose fields can be filled while it runs. The builder reads its init when
 * it ends, so the scope keeps the init object to itself and writes fields into it until then.
 */
export function createAuditScope(logger: AuditLogger, fields: AuditScopeFields = {}, options: AuditScopeOptions = {}): AuditScope {
  const init: InteractionInit = { question: options.defaultQuestion ?? '', model: options.defaultModel ?? 'unknown', metadata: { ...options.metadata } };
  if (options.interactionId !== undefined) init.interactionId = options.interactionId;
  const ranks: Partial<Record<keyof AuditScopeFields, number>> = {};
  const builder = logger.interaction(init);
  let status: InteractionStatus | undefined;
  let statusMessage: string | undefined;
  let usage: TokenUsage | undefined;

  const write = (values: AuditScopeFields, rank: number, keepFirst: boolean): void => {
    if (builder.ended || typeof values !== 'object' || values === null) return;
    for (const key of FIELDS) {
      const value = values[key];
      if (typeof value !== 'string' || (value === '' && key !== 'question')) continue;
      const current = ranks[key] ?? 0;
      if (current > rank || (keepFirst && current === rank)) continue;
      ranks[key] = rank;
      init[key] = value;
    }
  };

  const scope: AuditScope = {
    get interactionId() {
      return builder.interactionId;
    },
    get ended() {
      return builder.ended;
    },
    get status() {
      return status;
    },
    set(values) {
      write(values, RANK.set, false);
      return scope;
    },
    suggest(values, source) {
      write(values, RANK[source] ?? RANK.model, true);
      return scope;
    },
    get(field) {
      return ranks[field] === undefined ? undefined : (init[field] as AuditScopeFields[typeof field]);
    },
    addUsage(more) {
      if (builder.ended || typeof more !== 'object' || more === null) return scope;
      const sum: Record<string, number> = { ...usage } as Record<string, number>;
      for (const key of USAGE_KEYS) {
        const n = more[key];
        if (typeof n === 'number' && Number.isFinite(n) && n >= 0) sum[key] = (sum[key] ?? 0) + Math.round(n);
      }
      usage = sum;
      builder.usage(usage);
      return scope;
    },
    addMetadata(more) {
      if (!builder.ended && typeof more === 'object' && more !== null) Object.assign(init.metadata!, more);
      return scope;
    },
    setStatus(s, message) {
      if (!builder.ended) {
        status = s;
        statusMessage = message;
      }
      return scope;
    },
    thought(text) {
      builder.thought(text);
      return scope;
    },
    toolCall: (name, input, o): ToolCallHandle => builder.toolCall(name, input, o),
    tool: (name, input, fn) => builder.tool(name, input, fn),
    metric(name, ms) {
      builder.metric(name, ms);
      return scope;
    },
    time: (name) => builder.time(name),
    usage(u) {
      builder.usage(u);
      return scope;
    },
    answer(text) {
      builder.answer(text);
      return scope;
    },
    assistantDuration(ms) {
      builder.assistantDuration(ms);
      return scope;
    },
    parseDuration(ms) {
      builder.parseDuration(ms);
      return scope;
    },
    end(o) {
      if (o?.status !== undefined) return builder.end(o);
      return builder.end(status === undefined ? o : { status, ...(statusMessage === undefined ? {} : { errorMessage: statusMessage }) });
    },
    fail(error, o) {
      return builder.fail(error, o);
    },
  };
  if (Object.keys(fields).length > 0) scope.set(fields);
  return scope;
}
