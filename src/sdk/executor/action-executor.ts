import { z } from 'zod';
import { AuditrailError, uuidv7 } from '../../core/index.js';
import { toIssues } from '../../core/record.js';
import type { ActionEventInput } from '../action-events.js';
import type { InteractionBuilder, ToolCallHandle } from '../interaction-builder.js';
import type { AuditLogger } from '../logger.js';
import { LoggerContextSchema, type LoggerContext } from '../options.js';
import { createRegistrySource, type ActionCallContext, type ActionRegistry, type ActionSource, type ResolvedAction } from './action-source.js';
import { decideApproval, type ApprovalHook } from './approval.js';

export interface ActionExecutorOptions {
  /** Named actions (a plain object or a Map). */
  readonly actions?: ActionRegistry;
  /** Other sources (an MCP client's tools...), asked in order after the registry. */
  readonly adapters?: readonly ActionSource[];
  /** Without a logger the executor runs actions the same way and records nothing. */
  readonly logger?: AuditLogger;
  readonly approvalHook?: ApprovalHook;
  /** Context for the events (merged over the logger's). */
  readonly context?: LoggerContext;
}

export interface ExecuteOptions {
  /** Default: a new UUIDv7. */
  readonly actionId?: string;
  /** Adds the call to this interaction as a tool call, and links the events to it. */
  readonly interaction?: InteractionBuilder;
  readonly metadata?: Record<string, unknown>;
  readonly context?: LoggerContext;
}

export type ActionOutcome =
  | { readonly status: 'completed'; readonly actionId: string; readonly actionName: string; readonly result: unknown; readonly durationMs: number }
  | {
      readonly status: 'rejected';
      readonly actionId: string;
      readonly actionName: string;
      readonly reason: string;
      readonly approver?: string;
      /** APPROVAL_HOOK_MISSING or APPROVAL_HOOK_FAILED when the executor denied on the hook's behalf. */
      readonly error?: AuditrailError;
    };

export interface ActionExecutor {
  /**
   * Runs an action and records the seed's sequence: action_started; if approval is required,
   * approval_requested then approval_granted or approval_denied; then action_completed (resolves
   * `completed`), action_rejected (resolves `rejected`, no exception) or action_failed (the
   * action's error is rethrown). An unknown name records started + failed and throws
   * AUDITRAIL_ERR_ACTION_UNKNOWN.
   */
  execute(actionName: string, params?: Record<string, unknown>, options?: ExecuteOptions): Promise<ActionOutcome>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const OptionsSchema = z
  .object({
    actions: z
      .custom<ActionRegistry>((v) => isObject(v) && [...(v instanceof Map ? v.values() : Object.values(v))].every((d) => isObject(d) && typeof d.handler === 'function'), {
        message: 'must map action names to { handler, requiresApproval?, capability?, mcpServer? }',
      })
      .optional(),
    adapters: z.array(z.custom<ActionSource>((v) => isObject(v) && typeof v.resolve === 'function', { message: 'must be an ActionSource: { name, resolve(name) }' })).optional(),
    logger: z.custom<AuditLogger>((v) => isObject(v) && typeof v.actionStarted === 'function' && typeof v.withContext === 'function', { message: 'must be an AuditLogger' }).optional(),
    approvalHook: z.custom<ApprovalHook>((v) => typeof v === 'function', { message: 'must be a function (request) => boolean | { granted }' }).optional(),
    context: LoggerContextSchema.optional(),
  })
  .strict();

/** Creates an executor; bad options throw AUDITRAIL_ERR_OPTIONS_INVALID listing every problem. */
export function createActionExecutor(options: ActionExecutorOptions): ActionExecutor {
  const parsed = OptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = toIssues(parsed.error);
    throw new AuditrailError('OPTIONS_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  const o = parsed.data;
  const sources: readonly ActionSource[] = Object.freeze([...(o.actions ? [createRegistrySource(o.actions)] : []), ...(o.adapters ?? [])]);
  const baseLogger = o.logger && o.context ? o.logger.withContext(o.context) : o.logger;
  const hook = o.approvalHook;

  async function resolve(name: string): Promise<ResolvedAction | undefined> {
    for (const s of sources) {
      const found = await s.resolve(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async function execute(actionName: string, params: Record<string, unknown> = {}, call: ExecuteOptions = {}): Promise<ActionOutcome> {
    const actionId = call.actionId ?? uuidv7();
    const log = baseLogger && call.context ? baseLogger.withContext(call.context) : baseLogger;
    const interactionId = call.interaction?.interactionId;
    const tool: ToolCallHandle | undefined = call.interaction?.toolCall(actionName, params, { actionId });
    const ctx: ActionCallContext = interactionId === undefined ? { actionId, actionName } : { actionId, actionName, interactionId };

    let action: ResolvedAction | undefined;
    let resolveError: unknown;
    try {
      action = await resolve(actionName);
    } catch (err) {
      resolveError = err;
    }
    const base: ActionEventInput = {
      actionId,
      actionName,
      actionParams: params,
      interactionId,
      capabilityType: action?.capability?.type,
      capabilitySource: action?.capability?.source,
      capabilityVersion: action?.capability?.version,
      mcpServerId: action?.mcpServer?.id,
      mcpServerName: action?.mcpServer?.name,
      requiresApproval: action?.requiresApproval ?? false,
      metadata: call.metadata,
    };
    log?.actionStarted(base);

    if (action === undefined) {
      const error = resolveError ?? new AuditrailError('ACTION_UNKNOWN', actionName);
      log?.actionFailed({ ...base, durationMs: 0, error });
      tool?.fail(error, { actionId });
      // Rethrow what the adapter threw, unchanged, like any action error.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw error;
    }

    let approvalGranted: boolean | undefined;
    if (action.requiresApproval) {
      log?.approvalRequested(base);
      const d = await decideApproval(hook, { actionId, actionName, params, capability: action.capability, mcpServer: action.mcpServer, interactionId, context: log?.context ?? o.context ?? {} });
      const decision = { ...base, approver: d.approver, reason: d.reason };
      if (!d.granted) {
        const reason = d.reason ?? 'denied';
        log?.approvalDenied(decision);
        log?.actionRejected({ ...base, approvalGranted: false, approver: d.approver, reason });
        tool?.end(reason, { status: 'rejected', actionId, errorMessage: reason });
        return { status: 'rejected', actionId, actionName, reason, ...(d.approver === undefined ? {} : { approver: d.approver }), ...(d.error ? { error: d.error } : {}) };
      }
      log?.approvalGranted(decision);
      approvalGranted = true;
    }

    const started = Date.now();
    let result: unknown;
    try {
      result = await action.invoke(params, ctx);
    } catch (err) {
      log?.actionFailed({ ...base, approvalGranted, durationMs: Date.now() - started, error: err });
      tool?.fail(err, { actionId });
      throw err;
    }
    const durationMs = Date.now() - started;
    log?.actionCompleted({ ...base, approvalGranted, durationMs, result });
    tool?.end(result, { actionId });
    return { status: 'completed', actionId, actionName, result, durationMs };
  }

  return Object.freeze({ execute });
}
