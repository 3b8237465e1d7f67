import { errorMessage, type InteractionStatus, type TokenUsage, type ToolCallStatus } from '../core/index.js';
import { defined, type QueuedRecord } from './queued-record.js';

/** What is known when an interaction starts (seed-002: session, question, model...). */
export interface InteractionInit {
  question: string;
  model: string;
  provider?: string | null;
  baseUrl?: string | null;
  cluster?: string | null;
  /** Defaults from the logger's context. */
  orgId?: string;
  sessionId?: string;
  userId?: string | null;
  agentId?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
  metadata?: Record<string, unknown>;
  /** A UUID to use (idempotency key); one is made (UUIDv7) when absent. */
  interactionId?: string;
}

export interface ToolCallEndOptions {
  /** Default `success`. */
  status?: ToolCallStatus;
  /** The actionId of the seed-000 events of this call (the executor sets it). */
  actionId?: string;
  errorMessage?: string;
}

/** One tool call in progress. Its duration runs from toolCall() to end()/fail(). */
export interface ToolCallHandle {
  /** Position in the interaction, shared with thoughts: the order in which they happened. */
  readonly sequence: number;
  end(observation?: unknown, options?: ToolCallEndOptions): void;
  fail(error: unknown, options?: { actionId?: string }): void;
}

/**
 * Collects an interaction while the agent works, then records it whole with end(). Sequence
 * numbers follow call order across thoughts and tool calls. Methods never throw; once the
 * interaction has ended, further calls are ignored (the recorded interaction does not change).
 */
export interface InteractionBuilder {
  readonly interactionId: string;
  readonly ended: boolean;
  thought(text: string): InteractionBuilder;
  toolCall(name: string, input?: unknown, options?: { actionId?: string }): ToolCallHandle;
  /** Runs `fn` as a tool call: timed, ended with its result, or failed with its error (rethrown). */
  tool<T>(name: string, input: unknown, fn: () => T | Promise<T>): Promise<T>;
  /** A named duration (seed-002 performance_metrics). */
  metric(name: string, durationMs: number): InteractionBuilder;
  /** Starts a named timer; calling the returned function records the metric and returns its duration. */
  time(name: string): () => number;
  usage(usage: TokenUsage): InteractionBuilder;
  answer(text: string): InteractionBuilder;
  assistantDuration(durationMs: number): InteractionBuilder;
  parseDuration(durationMs: number): InteractionBuilder;
  /** Records the interaction (once; later calls return the same id). Status defaults to `success`. */
  end(options?: { status?: InteractionStatus; errorMessage?: string }): string;
  /** Ends with status `error` (or the one given) and the error's message. */
  fail(error: unknown, options?: { status?: InteractionStatus }): string;
}

interface ToolCallState {
  sequence: number;
  name: string;
  input: unknown;
  observation?: unknown;
  startedAtMs: number;
  durationMs?: number;
  status: ToolCallStatus;
  errorMessage?: string;
  actionId?: string;
}

/** The builder's state; it is what gets queued at end(), and built into a record off the caller's path. */
export interface InteractionState {
  readonly init: Partial<InteractionInit>;
  readonly startedAtMs: number;
  readonly thoughts: { sequence: number; content: string; atMs: number }[];
  readonly toolCalls: ToolCallState[];
  readonly metrics: { name: string; durationMs: number }[];
  usage?: TokenUsage;
  answer?: string;
  status?: InteractionStatus;
  errorMessage?: string;
  totalDurationMs?: number;
  assistantDurationMs?: number;
  parseDurationMs?: number;
}

/** Records a finished state; returns the id, or undefined when the record path refused it. */
export type InteractionSink = (state: InteractionState, id: string) => string | undefined;

const text = (v: unknown): string => (typeof v === 'string' ? v : errorMessage(v));
const iso = (ms: number): string => new Date(ms).toISOString();

export class InteractionRecorder implements InteractionBuilder {
  readonly interactionId: string;
  readonly #state: InteractionState;
  readonly #sink: InteractionSink;
  #sequence = 0;
  #ended = false;

  constructor(init: InteractionInit, id: string, sink: InteractionSink) {
    const safeInit = typeof init === 'object' && init !== null ? init : ({} as InteractionInit);
    this.interactionId = id;
    this.#sink = sink;
    this.#state = { init: safeInit, startedAtMs: Date.now(), thoughts: [], toolCalls: [], metrics: [] };
  }

  get ended(): boolean {
    return this.#ended;
  }

  thought(content: string): this {
    if (!this.#ended) this.#state.thoughts.push({ sequence: this.#sequence++, content: text(content), atMs: Date.now() });
    return this;
  }

  toolCall(name: string, input?: unknown, options?: { actionId?: string }): ToolCallHandle {
    const call: ToolCallState = { sequence: this.#sequence++, name: text(name), input, startedAtMs: Date.now(), status: 'pending', actionId: options?.actionId };
    if (!this.#ended) this.#state.toolCalls.push(call);
    let done = false;
    const finish = (fields: Partial<ToolCallState>): void => {
      if (done || this.#ended) return;
      done = true;
      Object.assign(call, fields, { durationMs: Date.now() - call.startedAtMs });
    };
    return {
      sequence: call.sequence,
      end: (observation, o) => finish({ observation, status: o?.status ?? 'success', actionId: o?.actionId ?? call.actionId, errorMessage: o?.errorMessage }),
      fail: (error, o) => finish({ status: 'error', errorMessage: text(error instanceof Error ? error.message : error), actionId: o?.actionId ?? call.actionId }),
    };
  }

  async tool<T>(name: string, input: unknown, fn: () => T | Promise<T>): Promise<T> {
    const handle = this.toolCall(name, input);
    try {
      const result = await fn();
      handle.end(result);
      return result;
    } catch (err) {
      handle.fail(err);
      throw err;
    }
  }

  metric(name: string, durationMs: number): this {
    if (!this.#ended) this.#state.metrics.push({ name: text(name), durationMs: Math.max(0, Math.round(durationMs)) });
    return this;
  }

  time(name: string): () => number {
    const t0 = Date.now();
    return () => {
      const d = Date.now() - t0;
      this.metric(name, d);
      return d;
    };
  }

  usage(usage: TokenUsage): this {
    if (!this.#ended && typeof usage === 'object' && usage !== null) this.#state.usage = { ...this.#state.usage, ...usage };
    return this;
  }

  answer(content: string): this {
    if (!this.#ended) this.#state.answer = text(content);
    return this;
  }

  assistantDuration(durationMs: number): this {
    if (!this.#ended) this.#state.assistantDurationMs = Math.max(0, Math.round(durationMs));
    return this;
  }

  parseDuration(durationMs: number): this {
    if (!this.#ended) this.#state.parseDurationMs = Math.max(0, Math.round(durationMs));
    return this;
  }

  end(options?: { status?: InteractionStatus; errorMessage?: string }): string {
    if (this.#ended) return this.interactionId;
    this.#ended = true;
    const s = this.#state;
    s.status = options?.status ?? 'success';
    if (options?.errorMessage !== undefined) s.errorMessage = options.errorMessage;
    s.totalDurationMs = Date.now() - s.startedAtMs;
    this.#sink(s, this.interactionId);
    return this.interactionId;
  }

  fail(error: unknown, options?: { status?: InteractionStatus }): string {
    return this.end({ status: options?.status ?? 'error', errorMessage: text(error instanceof Error ? error.message : error) });
  }
}

/** Builds the seed-002 record from a finished state (in the batch processor). */
export function buildInteractionFromState(q: QueuedRecord): unknown {
  const s = q.input as unknown as InteractionState;
  const i = s.init;
  const c = q.context;
  return defined({
    kind: 'interaction',
    interactionId: q.id,
    timestamp: iso(s.startedAtMs),
    orgId: i.orgId ?? c.orgId,
    sessionId: i.sessionId ?? c.sessionId,
    userId: i.userId ?? c.userId,
    agentId: i.agentId ?? c.agentId,
    clientIp: i.clientIp,
    userAgent: i.userAgent,
    question: i.question,
    model: i.model,
    provider: i.provider,
    baseUrl: i.baseUrl,
    cluster: i.cluster,
    thoughts: s.thoughts.map((t) => ({ sequence: t.sequence, content: t.content, timestamp: iso(t.atMs) })),
    toolCalls: s.toolCalls.map((t) =>
      defined({
        sequence: t.sequence,
        name: t.name,
        input: t.input,
        observation: t.observation,
        durationMs: t.durationMs,
        startedAt: iso(t.startedAtMs),
        status: t.status,
        errorMessage: t.errorMessage,
        actionId: t.actionId,
      }),
    ),
    finalAnswer: s.answer,
    status: s.status,
    errorMessage: s.errorMessage,
    totalDurationMs: s.totalDurationMs,
    assistantDurationMs: s.assistantDurationMs,
    parseDurationMs: s.parseDurationMs,
    metrics: s.metrics,
    usage: s.usage,
    metadata: i.metadata,
  });
}
