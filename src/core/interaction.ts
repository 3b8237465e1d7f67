import { z } from 'zod';
import { IdSchema, JsonObjectSchema, TextSchema, TimestampSchema, UuidSchema } from './audit-event.js';
import { LIMITS } from './limits.js';

export const INTERACTION_STATUSES = ['success', 'error', 'cancelled', 'timeout'] as const;
export const InteractionStatusSchema = z.enum(INTERACTION_STATUSES);
export type InteractionStatus = z.infer<typeof InteractionStatusSchema>;

export const TOOL_CALL_STATUSES = ['success', 'error', 'rejected', 'pending'] as const;
export const ToolCallStatusSchema = z.enum(TOOL_CALL_STATUSES);
export type ToolCallStatus = z.infer<typeof ToolCallStatusSchema>;

const DurationSchema = z.number().int().min(0);

/** One step of the model's reasoning, in order. */
export const ThoughtSchema = z
  .object({
    sequence: z.number().int().min(0),
    content: TextSchema,
    timestamp: TimestampSchema.nullish(),
  })
  .strict();
export type Thought = z.output<typeof ThoughtSchema>;

/** One tool call (an action): seed-002 tool_calls plus status, timing and the link to action events. */
export const ToolCallSchema = z
  .object({
    sequence: z.number().int().min(0),
    name: IdSchema,
    /** Tool input as the agent passed it: a JSON value or text. */
    input: z.unknown(),
    /** What the tool returned (seed-002 "observation"): a JSON value or text. */
    observation: z.unknown().optional(),
    durationMs: DurationSchema.nullish(),
    startedAt: TimestampSchema.nullish(),
    status: ToolCallStatusSchema.default('success'),
    errorMessage: TextSchema.nullish(),
    /** The actionId of the seed-000 events this call produced, when it ran through the executor. */
    actionId: IdSchema.nullish(),
  })
  .strict();
export type ToolCall = z.output<typeof ToolCallSchema>;

/** A named duration (seed-002 performance_metrics). */
export const MetricSchema = z.object({ name: IdSchema, durationMs: DurationSchema }).strict();
export type Metric = z.output<typeof MetricSchema>;

export const TokenUsageSchema = z
  .object({
    inputTokens: z.number().int().min(0).nullish(),
    outputTokens: z.number().int().min(0).nullish(),
    totalTokens: z.number().int().min(0).nullish(),
    reasoningTokens: z.number().int().min(0).nullish(),
    cachedInputTokens: z.number().int().min(0).nullish(),
  })
  .strict();
export type TokenUsage = z.output<typeof TokenUsageSchema>;

/**
 * A seed-002 question-answer interaction: who asked (session, user, client IP, user agent), what,
 * which model answered, its thoughts and tool calls in order, the answer, status and timings.
 */
export const InteractionSchema = z
  .object({
    kind: z.literal('interaction'),
    /** Client-made UUID (v7 recommended): the idempotency key. */
    interactionId: UuidSchema,
    /** When the interaction started. */
    timestamp: TimestampSchema,
    orgId: IdSchema,
    sessionId: IdSchema,
    userId: IdSchema.nullish(),
    agentId: IdSchema.nullish(),
    clientIp: IdSchema.nullish(),
    userAgent: TextSchema.max(4096).nullish(),
    question: TextSchema,
    model: IdSchema,
    provider: IdSchema.nullish(),
    baseUrl: TextSchema.max(4096).nullish(),
    cluster: IdSchema.nullish(),
    thoughts: z.array(ThoughtSchema).max(LIMITS.maxChildren).default([]),
    toolCalls: z.array(ToolCallSchema).max(LIMITS.maxChildren).default([]),
    finalAnswer: TextSchema.nullish(),
    status: InteractionStatusSchema,
    errorMessage: TextSchema.nullish(),
    totalDurationMs: DurationSchema.nullish(),
    assistantDurationMs: DurationSchema.nullish(),
    parseDurationMs: DurationSchema.nullish(),
    metrics: z.array(MetricSchema).max(LIMITS.maxChildren).default([]),
    usage: TokenUsageSchema.nullish(),
    metadata: JsonObjectSchema.default({}),
  })
  .strict();

export type Interaction = z.output<typeof InteractionSchema>;
export type InteractionInput = z.input<typeof InteractionSchema>;
