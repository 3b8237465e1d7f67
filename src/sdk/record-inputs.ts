import type { AuditEventInput, InteractionInput } from '../core/index.js';
import type { LoggerContext } from './options.js';
import { defined, timestampOf, wholeMs, type QueuedRecord } from './queued-record.js';

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
type Loose<T> = Omit<T, 'timestamp'> & { timestamp?: string | Date | number };

/** An event for record(): id, time and context ids are filled in when absent. */
export type EventRecordInput = Loose<Optional<AuditEventInput, 'eventId' | 'timestamp' | 'orgId' | 'userId' | 'agentId' | 'sessionId'>>;
/** An interaction for record()/recordInteraction(): id, time, context ids and status (success) are filled in. */
export type InteractionRecordInput = Loose<Optional<InteractionInput, 'kind' | 'interactionId' | 'timestamp' | 'orgId' | 'sessionId' | 'status'>>;
/** What record() takes: `kind` says which record it is. */
export type RecordInput = EventRecordInput | (InteractionRecordInput & { kind: 'interaction' });

type Obj = Readonly<Record<string, unknown>>;
const str = (v: unknown): boolean => typeof v === 'string' && v !== '';

/** The cheap check of the record path: the first required string that is missing, or undefined. */
export function missingEventField(i: Obj, c: LoggerContext): string | undefined {
  if (!str(i.actionId)) return 'actionId';
  if (!str(i.actionName)) return 'actionName';
  return missingIds(i, c, true);
}

export function missingRecordEventField(i: Obj, c: LoggerContext): string | undefined {
  if (!str(i.eventType)) return 'eventType';
  return missingEventField(i, c);
}

export function missingInteractionField(i: Obj, c: LoggerContext): string | undefined {
  if (typeof i.question !== 'string') return 'question';
  if (!str(i.model)) return 'model';
  return missingIds(i, c, false);
}

function missingIds(i: Obj, c: LoggerContext, event: boolean): string | undefined {
  if (!str(i.orgId ?? c.orgId)) return 'orgId';
  if (!str(i.sessionId ?? c.sessionId)) return 'sessionId';
  if (!event) return undefined;
  if (!str(i.userId ?? c.userId)) return 'userId';
  if (!str(i.agentId ?? c.agentId)) return 'agentId';
  return undefined;
}

// Named property writes, not `out[key]`: the records are built from for-in copies and a
// computed key makes every access megamorphic.
export function buildEventRecord(q: QueuedRecord): unknown {
  const i = q.input;
  const c = q.context;
  const out = defined(i);
  out.kind = 'event';
  out.eventId = q.id;
  out.timestamp = timestampOf(i.timestamp, q.timeMs);
  out.orgId ??= c.orgId;
  out.userId ??= c.userId;
  out.agentId ??= c.agentId;
  out.sessionId ??= c.sessionId;
  if (out.durationMs !== undefined) out.durationMs = wholeMs(out.durationMs);
  return out;
}

export function buildInteractionRecord(q: QueuedRecord): unknown {
  const i = q.input;
  const c = q.context;
  const out = defined(i);
  out.kind = 'interaction';
  out.interactionId = q.id;
  out.timestamp = timestampOf(i.timestamp, q.timeMs);
  out.orgId ??= c.orgId;
  out.sessionId ??= c.sessionId;
  if (c.userId !== undefined) out.userId ??= c.userId;
  if (c.agentId !== undefined) out.agentId ??= c.agentId;
  out.status ??= 'success';
  if (typeof out.totalDurationMs === 'number') out.totalDurationMs = wholeMs(out.totalDurationMs);
  if (typeof out.assistantDurationMs === 'number') out.assistantDurationMs = wholeMs(out.assistantDurationMs);
  if (typeof out.parseDurationMs === 'number') out.parseDurationMs = wholeMs(out.parseDurationMs);
  return out;
}
