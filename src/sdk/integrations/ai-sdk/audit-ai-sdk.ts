import { wrapLanguageModel, type generateText, type streamText, type TelemetryIntegration } from 'ai';
import { z } from 'zod';
import { LIMITS } from '../../../core/index.js';
import type { AuditLogger } from '../../logger.js';
import { sessionFor } from '../shared/llm-call.js';
import { isAuditLogger, LOGGER_MESSAGE, parseOptions } from '../shared/parse-options.js';
import { createAiRun, type AiRunTarget, type AuditedAiRun } from './ai-run.js';

const Schema = z
  .object({
    logger: z.custom<AuditLogger>(isAuditLogger, { message: LOGGER_MESSAGE }),
    /** Add runs to currentAudit() (the HTTP middleware's interaction) when there is one. Default true. */
    useCurrentScope: z.boolean().default(true),
    /** Session of interactions recorded outside a scope. Default: the logger's, else one per wrapper. */
    sessionId: z.string().min(1).max(LIMITS.maxIdLength).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type AuditAiSdkOptions = z.input<typeof Schema>;

function targetOf(options: AuditAiSdkOptions, label: string): AiRunTarget {
  const o = parseOptions(Schema, options, label);
  return { logger: o.logger, useCurrentScope: o.useCurrentScope, sessionId: sessionFor(o.logger, o.sessionId), metadata: o.metadata };
}

/**
 * The audit of one run, for wiring by hand: put `run.integration` in that call's
 * `experimental_telemetry.integrations`, wrap its model with `run.middleware`, and call
 * `run.fail(error)` when the call throws (the AI SDK tells integrations of no error).
 * auditGenerateText / auditStreamText do all three.
 */
export function createAuditedAiRun(options: AuditAiSdkOptions): AuditedAiRun {
  return createAiRun(targetOf(options, 'createAuditedAiRun'));
}

/** What the wrappers touch of a call's settings. */
interface CallSettings {
  model?: unknown;
  experimental_telemetry?: { integrations?: TelemetryIntegration | TelemetryIntegration[] } & Record<string, unknown>;
  onError?: (event: { error: unknown }) => unknown;
  onAbort?: (event: never) => unknown;
  [key: string]: unknown;
}

type LanguageModelV3 = Parameters<typeof wrapLanguageModel>[0]['model'];
const isV3Model = (m: unknown): m is LanguageModelV3 => typeof m === 'object' && m !== null && (m as { specificationVersion?: unknown }).specificationVersion === 'v3';

function withRun(args: CallSettings, run: AuditedAiRun): CallSettings {
  const telemetry = args.experimental_telemetry ?? {};
  const given = telemetry.integrations;
  const integrations = [...(given === undefined ? [] : Array.isArray(given) ? given : [given]), run.integration];
  // A model given by id (resolved by the AI SDK) or of an older spec is not wrapped: its reasoning is then recorded at the end of each step.
  const model = isV3Model(args.model) ? wrapLanguageModel({ model: args.model, middleware: run.middleware }) : args.model;
  return { ...args, model, experimental_telemetry: { ...telemetry, integrations } };
}

/**
 * Wraps `generateText` (AI SDK 6): each call is recorded with its steps (reasoning as thoughts,
 * tool calls with input, output and duration, tool approvals as seed-000 approval events), usage
 * summed over steps, finish reason, answer, and its error if it throws.
 */
export function auditGenerateText<F extends typeof generateText>(fn: F, options: AuditAiSdkOptions): F {
  const target = targetOf(options, 'auditGenerateText');
  const audited = async (args: Parameters<F>[0]) => {
    const run = createAiRun(target);
    try {
      return await fn(withRun(args as CallSettings, run) as Parameters<F>[0]);
    } catch (err) {
      run.fail(err);
      throw err;
    }
  };
  return audited as F;
}

/**
 * Wraps `streamText` (AI SDK 6): like auditGenerateText, plus time to first token; the run is
 * recorded when the stream finishes, errors (onError: status error) or is aborted (onAbort:
 * cancelled). Your own onError/onAbort still run; without an onError, errors are written to
 * console.error as streamText does by default.
 */
export function auditStreamText<F extends typeof streamText>(fn: F, options: AuditAiSdkOptions): F {
  const target = targetOf(options, 'auditStreamText');
  const audited = (args: Parameters<F>[0]) => {
    const run = createAiRun(target);
    const a = args as CallSettings;
    const onError = (event: { error: unknown }): unknown => {
      run.fail(event.error);
      if (a.onError) return a.onError(event);
      console.error(event.error);
      return undefined;
    };
    const onAbort = (event: never): unknown => {
      run.cancel();
      return a.onAbort?.(event);
    };
    try {
      return fn({ ...withRun(a, run), onError, onAbort } as Parameters<F>[0]);
    } catch (err) {
      run.fail(err);
      throw err;
    }
  };
  return audited as F;
}
