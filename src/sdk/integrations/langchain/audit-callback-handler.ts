import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { z } from 'zod';
import { errorMessage, LIMITS } from '../../../core/index.js';
import type { ToolCallHandle } from '../../interaction-builder.js';
import type { AuditLogger } from '../../logger.js';
import { createAuditScope, type AuditScope } from '../scope/audit-scope.js';
import { currentAudit } from '../scope/current-audit.js';
import { parseArguments, sessionFor, startLlmCall, type LlmCall } from '../shared/llm-call.js';
import { isAuditLogger, LOGGER_MESSAGE, parseOptions } from '../shared/parse-options.js';
import { chainAnswer, chainQuestion, lastHumanText, llmOutcome, modelOf, toolObservation } from './langchain-values.js';

const Schema = z
  .object({
    logger: z.custom<AuditLogger>(isAuditLogger, { message: LOGGER_MESSAGE }),
    /** Add runs to currentAudit() (the HTTP middleware's interaction) when there is one. Default true. */
    useCurrentScope: z.boolean().default(true),
    /** Session of interactions recorded outside a scope. Default: the logger's, else one per handler. */
    sessionId: z.string().min(1).max(LIMITS.maxIdLength).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type AuditCallbackHandlerOptions = z.input<typeof Schema>;

/** A top-level run and the interaction it records into. */
interface Root {
  readonly runId: string;
  readonly scope: AuditScope;
  /** The handler made the interaction and ends it with the root run; otherwise it belongs to the current scope's owner. */
  readonly owned: boolean;
}

interface Run {
  readonly root: Root;
  llm?: LlmCall;
  tool?: ToolCallHandle;
}

type Obj = Record<string, unknown>;
const nameOf = (serialized: unknown, runName: string | undefined): string => {
  const s = serialized as { name?: unknown; id?: unknown } | undefined;
  if (runName) return runName;
  if (typeof s?.name === 'string' && s.name !== '') return s.name;
  const id = Array.isArray(s?.id) ? (s.id as unknown[]) : [];
  const last = id[id.length - 1];
  return typeof last === 'string' ? last : 'unknown';
};

/**
 * A LangChain.js callback handler: one interaction per top-level run (a chain, an agent, or a
 * model or tool called on its own). LLM calls add the model, prompt (as question), answer, usage,
 * finish reason and time to first token; the tool calls a model asks for are a thought; tool runs
 * are the interaction's tool calls (input, output, duration, error; `actionId` = the tool call id);
 * agent actions add their log as a thought (the ReAct "Thought:"); the chain's output is the
 * answer. Inside a scope (HTTP middleware) runs add to the current interaction instead.
 *
 * It awaits its handlers (they are synchronous and cheap), so that a run is recorded when
 * `invoke()` returns.
 */
export class AuditCallbackHandler extends BaseCallbackHandler {
  name = 'auditrail';
  override awaitHandlers = true;
  readonly #o: Readonly<z.output<typeof Schema>>;
  readonly #sessionId: string;
  readonly #runs = new Map<string, Run>();

  constructor(options: AuditCallbackHandlerOptions) {
    super();
    this.#o = parseOptions(Schema, options, 'AuditCallbackHandler');
    this.#sessionId = sessionFor(this.#o.logger, this.#o.sessionId);
  }

  #start(runId: string, parentRunId: string | undefined, kind: string, name: string): Run {
    const parent = parentRunId === undefined ? undefined : this.#runs.get(parentRunId);
    let root = parent?.root;
    if (root === undefined) {
      const current = this.#o.useCurrentScope ? currentAudit() : undefined;
      const shared = current !== undefined && !current.ended;
      const scope = shared ? current : createAuditScope(this.#o.logger, { sessionId: this.#sessionId }, { metadata: { ...this.#o.metadata, langchain: { runId, kind, name } } });
      root = { runId, scope, owned: !shared };
    }
    const run: Run = { root };
    this.#runs.set(runId, run);
    return run;
  }

  /** Ends a run; a top-level one ends its interaction (when the handler owns it). */
  #end(runId: string, ending?: (scope: AuditScope) => void): void {
    const run = this.#runs.get(runId);
    if (run === undefined) return;
    this.#runs.delete(runId);
    if (run.root.runId !== runId) return;
    for (const [id, r] of this.#runs) if (r.root === run.root) this.#runs.delete(id);
    if (run.root.owned) (ending ?? ((s) => s.end()))(run.root.scope);
  }

  #isRoot(runId: string): boolean {
    return this.#runs.get(runId)?.root.runId === runId;
  }

  // The order CallbackManager calls it with (and BaseTracer reads): parentRunId 4th, runName 8th.
  // The .d.ts of @langchain/core 1.x lists (runType, tags, metadata, runName, parentRunId) instead.
  override handleChainStart(chain: unknown, inputs: unknown, runId: string, parentRunId?: string, _tags?: string[], _metadata?: Obj, _runType?: string, runName?: string): void {
    const run = this.#start(runId, parentRunId, 'chain', nameOf(chain, runName));
    if (run.root.runId !== runId) return;
    const question = chainQuestion(inputs);
    if (question !== undefined) run.root.scope.suggest({ question }, run.root.owned ? 'request' : 'model');
  }

  override handleChainEnd(outputs: unknown, runId: string): void {
    if (!this.#isRoot(runId)) return this.#end(runId);
    const answer = chainAnswer(outputs);
    const scope = this.#runs.get(runId)!.root.scope;
    if (answer !== undefined && answer !== '') scope.answer(answer);
    this.#end(runId);
  }

  override handleChainError(err: unknown, runId: string): void {
    const run = this.#runs.get(runId);
    if (run && this.#isRoot(runId) && !run.root.owned) run.root.scope.addMetadata({ langchainError: errorMessage(err) });
    this.#end(runId, (s) => s.fail(err));
  }

  #llmStart(llm: unknown, question: string | undefined, runId: string, parentRunId: string | undefined, extraParams: unknown, metadata: unknown, runName: string | undefined): void {
    const { model, provider } = modelOf(llm, extraParams, metadata, runName);
    const run = this.#start(runId, parentRunId, 'llm', model);
    if (run.root.runId === runId && run.root.owned && question !== undefined) run.root.scope.suggest({ question }, 'request');
    run.llm = startLlmCall(
      { logger: this.#o.logger, useCurrentScope: false, sessionId: this.#sessionId, scope: run.root.scope },
      { question: question ?? '', model, provider, operation: 'langchain.llm' },
    );
  }

  override handleChatModelStart(llm: unknown, messages: unknown[][], runId: string, parentRunId?: string, extraParams?: Obj, _tags?: string[], metadata?: Obj, runName?: string): void {
    this.#llmStart(llm, lastHumanText(messages[0]), runId, parentRunId, extraParams, metadata, runName);
  }

  override handleLLMStart(llm: unknown, prompts: string[], runId: string, parentRunId?: string, extraParams?: Obj, _tags?: string[], metadata?: Obj, runName?: string): void {
    this.#llmStart(llm, prompts[prompts.length - 1], runId, parentRunId, extraParams, metadata, runName);
  }

  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): void {
    this.#runs.get(runId)?.llm?.firstToken();
  }

  override handleLLMEnd(output: unknown, runId: string): void {
    this.#runs.get(runId)?.llm?.finish(llmOutcome(output));
    this.#end(runId);
  }

  override handleLLMError(err: unknown, runId: string): void {
    this.#runs.get(runId)?.llm?.finish({}, { status: 'error', error: err });
    this.#end(runId, (s) => s.fail(err));
  }

  override handleToolStart(tool: unknown, input: string, runId: string, parentRunId?: string, _tags?: string[], _metadata?: Obj, runName?: string, toolCallId?: string): void {
    const name = nameOf(tool, runName);
    const run = this.#start(runId, parentRunId, 'tool', name);
    if (run.root.runId === runId && run.root.owned) run.root.scope.suggest({ question: input }, 'request');
    run.tool = run.root.scope.toolCall(name, parseArguments(input), toolCallId === undefined ? undefined : { actionId: toolCallId });
  }

  override handleToolEnd(output: unknown, runId: string): void {
    this.#runs.get(runId)?.tool?.end(toolObservation(output));
    this.#end(runId);
  }

  override handleToolError(err: unknown, runId: string): void {
    this.#runs.get(runId)?.tool?.fail(err);
    this.#end(runId, (s) => s.fail(err));
  }

  override handleAgentAction(action: { log?: unknown }, runId: string): void {
    const log = typeof action?.log === 'string' ? action.log.trim() : '';
    if (log !== '') this.#runs.get(runId)?.root.scope.thought(log);
  }

  override handleAgentEnd(finish: { returnValues?: unknown; log?: unknown }, runId: string): void {
    const scope = this.#runs.get(runId)?.root.scope;
    if (scope === undefined) return;
    const answer = chainAnswer(finish?.returnValues);
    const log = typeof finish?.log === 'string' ? finish.log.trim() : '';
    if (log !== '' && log !== answer) scope.thought(log);
    if (answer) scope.answer(answer);
  }
}
