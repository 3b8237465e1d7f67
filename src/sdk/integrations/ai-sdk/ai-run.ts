import type { LanguageModelMiddleware, TelemetryIntegration } from 'ai';
import { errorMessage, type InteractionStatus } from '../../../core/index.js';
import type { ToolCallHandle } from '../../interaction-builder.js';
import type { AuditLogger } from '../../logger.js';
import { createAuditScope, type AuditScope } from '../scope/audit-scope.js';
import { currentAudit } from '../scope/current-audit.js';
import { statusOfError } from '../shared/error-status.js';
import { approvalResponses, arr, obj, runQuestion, str, usageOf, type ToolCallInfo } from './ai-values.js';

/** Where a run records (built from the validated options). */
export interface AiRunTarget {
  readonly logger: AuditLogger;
  readonly useCurrentScope: boolean;
  readonly sessionId: string;
  readonly metadata?: Record<string, unknown> | undefined;
}

/**
 * One generateText/streamText run being audited: the telemetry integration and the model
 * middleware that feed it, and how it ends when the call fails or is aborted.
 */
export interface AuditedAiRun {
  /** Pass in `experimental_telemetry.integrations` of that one call. */
  readonly integration: TelemetryIntegration;
  /** Wrap that call's model with it (`wrapLanguageModel`): reasoning in order, time to first token. */
  readonly middleware: LanguageModelMiddleware;
  /** The run failed (the call threw, or streamText's onError): the interaction ends as error (abort: cancelled). */
  fail(error: unknown): void;
  /** The run was aborted (streamText's onAbort). */
  cancel(): void;
  /** The interaction, once the run has started. */
  readonly scope: AuditScope | undefined;
}

type Obj = Record<string, unknown>;

/** Creates the audit of one run. Outside a scope the run is one interaction; inside, it adds to the scope. */
export function createAiRun(target: AiRunTarget): AuditedAiRun {
  const startedMs = Date.now();
  let scope: AuditScope | undefined;
  let owned = false;
  let ttftMs: number | undefined;
  let stepStartMs = startedMs;
  let stepContentRecorded = false;
  let finishReason: string | undefined;
  let responseModel: string | undefined;
  let pendingApprovals = 0;
  const tools = new Map<string, ToolCallHandle>();
  const gated = new Map<string, ToolCallInfo>();
  const log = () => target.logger;

  const open = (question: string, model: string, provider: string, meta: Obj): AuditScope => {
    if (scope) return scope;
    const current = target.useCurrentScope ? currentAudit() : undefined;
    if (current !== undefined && !current.ended) {
      scope = current;
      scope.suggest({ question, model, provider }, 'model');
    } else {
      owned = true;
      scope = createAuditScope(target.logger, { question, model, provider, sessionId: target.sessionId }, { metadata: { ...target.metadata, ...meta } });
    }
    return scope;
  };
  const firstToken = (): void => {
    if (ttftMs === undefined) {
      ttftMs = Date.now() - startedMs;
      scope?.metric('time_to_first_token', ttftMs);
    }
  };
  const event = (t: ToolCallInfo) => ({
    actionId: t.toolCallId,
    actionName: t.toolName,
    actionParams: (obj(t.input) ?? { input: t.input }) as Record<string, unknown>,
    interactionId: scope?.interactionId,
    sessionId: scope?.get('sessionId') ?? target.sessionId,
    requiresApproval: true,
    capabilityType: 'tool',
    capabilitySource: 'ai-sdk',
  });
  /** Reasoning and text of one model response, recorded before its tools run. */
  const recordContent = (reasoning: string[], text: string, hasToolCalls: boolean): void => {
    stepContentRecorded = true;
    for (const r of reasoning) if (r !== '') scope?.thought(r);
    if (hasToolCalls && text !== '') scope?.thought(text);
  };

  const end = (status: InteractionStatus, error: unknown): void => {
    if (!scope) open('', 'unknown', 'unknown', {});
    if (!owned) {
      scope!.addMetadata({ llmError: errorMessage(error) });
      return;
    }
    scope!.addMetadata({ ...(finishReason ? { finishReason } : {}) });
    scope!.end({ status, errorMessage: errorMessage(error) });
  };

  const integration: TelemetryIntegration = {
    onStart(e) {
      const s = open(runQuestion(e.prompt, e.messages), e.model.modelId, e.model.provider, e.functionId ? { functionId: e.functionId } : {});
      if (e.metadata) s.addMetadata({ telemetry: e.metadata });
      for (const a of approvalResponses(e.messages ?? e.prompt)) {
        const base = event(a);
        if (a.approved) {
          gated.set(a.toolCallId, a);
          log().approvalGranted({ ...base, approvalGranted: true, reason: a.reason ?? null });
        } else {
          const reason = a.reason ?? 'denied';
          log().approvalDenied({ ...base, approvalGranted: false, reason });
          log().actionRejected({ ...base, approvalGranted: false, reason });
          s.toolCall(a.toolName, a.input, { actionId: a.toolCallId }).end(reason, { status: 'rejected', errorMessage: reason });
        }
      }
    },
    onStepStart() {
      stepStartMs = Date.now();
      stepContentRecorded = false;
    },
    onToolCallStart(e) {
      const t = e.toolCall;
      if (scope) tools.set(t.toolCallId, scope.toolCall(t.toolName, t.input, { actionId: t.toolCallId }));
    },
    onToolCallFinish(e) {
      const id = e.toolCall.toolCallId;
      const handle = tools.get(id);
      const call = gated.get(id);
      if (e.success) {
        handle?.end(e.output);
        if (call) log().actionCompleted({ ...event(call), approvalGranted: true, durationMs: e.durationMs, result: e.output });
      } else {
        handle?.fail(e.error);
        if (call) log().actionFailed({ ...event(call), approvalGranted: true, durationMs: e.durationMs, error: e.error });
      }
    },
    onStepFinish(step) {
      if (!scope) return;
      const content = arr(step.content).map((p) => obj(p) ?? {});
      const toolCalls = content.filter((p) => p.type === 'tool-call');
      if (!stepContentRecorded) {
        const reasoning = content.filter((p) => p.type === 'reasoning').map((p) => str(p.text) ?? '');
        recordContent(reasoning, step.text, toolCalls.length > 0);
      }
      const asked = new Set<string>();
      for (const p of content.filter((c) => c.type === 'tool-approval-request')) {
        const call = obj(p.toolCall) ?? {};
        const info = { toolCallId: str(call.toolCallId) ?? 'unknown', toolName: str(call.toolName) ?? 'unknown', input: call.input };
        asked.add(info.toolCallId);
        pendingApprovals++;
        scope.toolCall(info.toolName, info.input, { actionId: info.toolCallId });
        log().actionStarted(event(info));
        log().approvalRequested(event(info));
      }
      // Tool calls the SDK does not run (no execute: the application's job) stay pending.
      for (const p of toolCalls) {
        const id = str(p.toolCallId) ?? '';
        if (!tools.has(id) && !asked.has(id) && p.providerExecuted !== true) scope.toolCall(str(p.toolName) ?? 'unknown', p.input, { actionId: id });
      }
      const u = usageOf(step.usage);
      if (u) scope.addUsage(u);
      scope.metric('ai.step', Date.now() - stepStartMs);
      finishReason = step.finishReason;
      responseModel = step.response?.modelId;
    },
    onFinish(e) {
      if (!scope) return;
      if (e.text !== '') scope.answer(e.text);
      const meta: Obj = { finishReason: e.finishReason };
      if (responseModel && responseModel !== scope.get('model')) meta.responseModel = responseModel;
      if (pendingApprovals > 0) meta.pendingApprovals = pendingApprovals;
      scope.addMetadata(meta);
      scope.assistantDuration(Date.now() - startedMs);
      if (owned) scope.end({ status: 'success' });
    },
  };

  const middleware: LanguageModelMiddleware = {
    specificationVersion: 'v3',
    async wrapGenerate({ doGenerate }) {
      const result = await doGenerate();
      const content = result.content.map((p) => p as unknown as Obj);
      const reasoning = content.filter((p) => p.type === 'reasoning').map((p) => str(p.text) ?? '');
      const text = content.filter((p) => p.type === 'text').map((p) => str(p.text) ?? '').join('');
      recordContent(reasoning, text, content.some((p) => p.type === 'tool-call'));
      return result;
    },
    async wrapStream({ doStream }) {
      const { stream, ...rest } = await doStream();
      let reasoning = '';
      let text = '';
      let toolSeen = false;
      const flush = (hasTools: boolean): void => {
        recordContent(reasoning === '' ? [] : [reasoning], text, hasTools);
        reasoning = '';
        if (hasTools) text = '';
      };
      return {
        ...rest,
        stream: stream.pipeThrough(
          new TransformStream({
            transform(part, controller) {
              const p = part as unknown as Obj;
              if (p.type === 'reasoning-delta' || p.type === 'text-delta' || p.type === 'tool-input-start') firstToken();
              if (p.type === 'reasoning-delta') reasoning += str(p.delta) ?? '';
              if (p.type === 'text-delta') text += str(p.delta) ?? '';
              if (p.type === 'tool-call' && !toolSeen) {
                toolSeen = true;
                flush(true); // before the tool runs: the timeline reads thought, then tool call
              }
              if (p.type === 'finish') flush(toolSeen);
              controller.enqueue(part);
            },
          }),
        ),
      };
    },
  };

  return {
    integration,
    middleware,
    fail: (error) => end(statusOfError(error), error),
    cancel: () => end('cancelled', 'the run was aborted'),
    get scope() {
      return scope;
    },
  };
}
