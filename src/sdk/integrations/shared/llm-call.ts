import { errorMessage, uuidv7, type InteractionStatus, type TokenUsage } from '../../../core/index.js';
import type { AuditLogger } from '../../logger.js';
import { createAuditScope, type AuditScope } from '../scope/audit-scope.js';
import { currentAudit } from '../scope/current-audit.js';

/** What a model call was asked. */
export interface LlmRequestFacts {
  question: string;
  model: string;
  provider: string;
  baseUrl?: string | undefined;
  /** e.g. 'openai.chat.completions.create': the metadata `operation`, and the metric name inside a scope. */
  operation: string;
}

/** A tool call the model asked for (not run yet). */
export interface LlmToolRequest {
  id?: string | undefined;
  name: string;
  input: unknown;
}

/** What a model call produced (all of it, or what had arrived when it stopped). */
export interface LlmOutcome {
  answer?: string | undefined;
  toolRequests?: LlmToolRequest[];
  thoughts?: string[];
  usage?: TokenUsage | undefined;
  finishReason?: string | undefined;
  responseModel?: string | undefined;
  responseId?: string | undefined;
}

/** Where model calls are recorded: into the current scope when there is one, else one interaction per call. */
export interface LlmCallTarget {
  readonly logger: AuditLogger;
  /** Add calls to `currentAudit()` when there is one. */
  readonly useCurrentScope: boolean;
  /** Session of the interactions recorded outside a scope. */
  readonly sessionId: string;
  readonly metadata?: Record<string, unknown> | undefined;
  /** Record into this scope (as a shared one) rather than looking for the current one. */
  readonly scope?: AuditScope | undefined;
}

export interface LlmCall {
  /** The interaction the call is recorded in. */
  readonly scope: AuditScope;
  /** True when the call records into a scope it does not own (the HTTP middleware's). */
  readonly shared: boolean;
  /** The first token arrived (streams): recorded once as the metric time_to_first_token. */
  firstToken(): void;
  /** Records the outcome and ends the call: success, or the status/error given. Once. */
  finish(outcome: LlmOutcome, end?: { status: InteractionStatus; error?: unknown }): void;
}

/** The session id an integration uses outside a scope: its option, else the logger's, else a new one. */
export function sessionFor(logger: AuditLogger, sessionId: string | undefined): string {
  return sessionId ?? logger.context.sessionId ?? uuidv7();
}

// Assistant time adds up over the model calls of one scope.
const assistantMs = new WeakMap<AuditScope, number>();

const toolLine = (t: LlmToolRequest): string => `${t.name}(${typeof t.input === 'string' ? t.input : JSON.stringify(t.input)})`;

/** Reads a tool call's JSON arguments; text that is not JSON is kept as text. */
export function parseArguments(args: unknown): unknown {
  if (typeof args !== 'string') return args ?? {};
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/**
 * Starts recording one model call. Outside a scope it is its own interaction: question, model,
 * the tool calls the model asked for (status `pending`, `actionId` = the tool call id, so the
 * executor can link its events by running them with that actionId), answer, usage, finish
 * reason, assistant duration and time to first token. Inside a scope it adds to it: the model
 * and question as suggestions, usage summed, the answer (text that comes with tool calls is a
 * thought, and so is the list of tool calls asked for: the scope's tool calls are the ones
 * actually run), a metric named after the operation.
 */
export function startLlmCall(target: LlmCallTarget, facts: LlmRequestFacts): LlmCall {
  const startedMs = Date.now();
  const current = target.scope ?? (target.useCurrentScope ? currentAudit() : undefined);
  const shared = current !== undefined && !current.ended;
  const fields = { model: facts.model, provider: facts.provider, ...(facts.question === '' ? {} : { question: facts.question }), ...(facts.baseUrl ? { baseUrl: facts.baseUrl } : {}) };
  const scope = shared ? current : createAuditScope(target.logger, { ...fields, sessionId: target.sessionId }, { metadata: { ...target.metadata, operation: facts.operation } });
  if (shared) scope.suggest(fields, 'model');
  let ttftMs: number | undefined;
  let done = false;

  return {
    scope,
    shared,
    firstToken() {
      if (ttftMs === undefined) ttftMs = Date.now() - startedMs;
    },
    finish(o, end) {
      if (done) return;
      done = true;
      const durationMs = Date.now() - startedMs;
      for (const t of o.thoughts ?? []) if (t !== '') scope.thought(t);
      const tools = o.toolRequests ?? [];
      if (shared) {
        if (o.answer && tools.length > 0) scope.thought(o.answer);
        else if (o.answer) scope.answer(o.answer);
        if (tools.length > 0) scope.thought(`Model asked for tool calls: ${tools.map(toolLine).join('; ')}`);
      } else {
        for (const t of tools) scope.toolCall(t.name, t.input, t.id === undefined ? undefined : { actionId: t.id });
        if (o.answer) scope.answer(o.answer);
      }
      if (o.usage) scope.addUsage(o.usage);
      if (ttftMs !== undefined) scope.metric('time_to_first_token', ttftMs);
      const total = (assistantMs.get(scope) ?? 0) + durationMs;
      assistantMs.set(scope, total);
      scope.assistantDuration(total);
      const meta: Record<string, unknown> = {};
      if (o.finishReason !== undefined) meta.finishReason = o.finishReason;
      if (o.responseModel !== undefined && o.responseModel !== facts.model) meta.responseModel = o.responseModel;
      if (o.responseId !== undefined) meta.responseId = o.responseId;
      if (shared) {
        scope.metric(facts.operation, durationMs);
        if (end && end.status !== 'success') meta.llmError = end.error === undefined ? end.status : errorMessage(end.error);
        scope.addMetadata(meta);
        return; // the scope's owner ends it
      }
      scope.addMetadata(meta);
      if (end === undefined || end.status === 'success') scope.end({ status: 'success' });
      else scope.end({ status: end.status, errorMessage: end.error === undefined ? end.status : errorMessage(end.error) });
    },
  };
}
