/**
 * The record shapes come from core (type-only imports: nothing of core is bundled). The dashboard
 * talks to the server over HTTP only; these are the JSON shapes of its answers.
 */
export type {
  AnalyticsRow,
  AuditEvent,
  EventType,
  Interaction,
  InteractionStatus,
  Page,
  SessionSummary,
  Thought,
  TokenUsage,
  ToolCall,
  ToolCallStatus,
} from '../../../src/core/index.js';

export type Order = 'asc' | 'desc';
export type Bucket = 'minute' | 'hour' | 'day';
export type AnalyticsGroup = 'model' | 'agent' | 'tool' | 'status' | 'provider' | 'cluster';

/** Filters of GET /v1/interactions (the query model of core). */
export interface InteractionQuery {
  userId?: string;
  agentId?: string;
  sessionId?: string;
  model?: string;
  provider?: string;
  cluster?: string;
  status?: string;
  search?: string;
  actionName?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  order?: Order;
}

/** Filters of GET /v1/events. */
export interface EventQuery {
  eventTypes?: string;
  success?: 'true' | 'false';
  actionName?: string;
  actionId?: string;
  interactionId?: string;
  userId?: string;
  agentId?: string;
  sessionId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  order?: Order;
}

export interface SessionQuery {
  userId?: string;
  sessionId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  order?: Order;
}

export interface AnalyticsQuery {
  from: string;
  to: string;
  bucket: Bucket;
  groupBy?: AnalyticsGroup;
  model?: string;
  agentId?: string;
  provider?: string;
  cluster?: string;
}

/** What GET /v1/verify and GET /v1/checkpoints answer is defined by the integrity issue; read loosely. */
export type JsonObject = Record<string, unknown>;
