import { parseQuery, uuidv7, type AuditEvent, type AuditQueryInput, type Interaction, type Page } from '../core/index.js';
import {
  ACTION_METHODS,
  type ActionCompletedInput,
  type ActionEventInput,
  type ActionFailedInput,
  type ActionMethod,
  type ActionRejectedInput,
  type ApprovalInput,
} from './action-events.js';
import { buildInteractionFromState, InteractionRecorder, type InteractionBuilder, type InteractionInit, type InteractionState } from './interaction-builder.js';
import { parseLoggerContext, parseLoggerOptions, type AuditLoggerOptions, type LoggerContext } from './options.js';
import { Pipeline } from './pipeline.js';
import {
  buildEventRecord,
  buildInteractionRecord,
  missingEventField,
  missingInteractionField,
  missingRecordEventField,
  type InteractionRecordInput,
  type RecordInput,
} from './record-inputs.js';
import type { LoggerStats } from './stats.js';

/**
 * The audit logger. Record methods are synchronous and O(1): they check the required fields,
 * take an id and the time, and queue; building, validation and export happen in the batch
 * processor. They never throw and never wait: a record that cannot be kept is counted in
 * stats() and reported through onDiagnostic. They return the record id (undefined when the
 * record was refused on the spot).
 *
 * Ownership: the object passed to a record method belongs to the logger from then on. It is not
 * copied on the caller's path; do not change it afterwards.
 */
export interface AuditLogger {
  /** The context this logger fills into records (orgId, userId, agentId, sessionId). */
  readonly context: Readonly<LoggerContext>;
  actionStarted(input: ActionEventInput): string | undefined;
  /** `result` is stored as `metadata.result`. */
  actionCompleted(input: ActionCompletedInput): string | undefined;
  actionFailed(input: ActionFailedInput): string | undefined;
  actionRejected(input: ActionRejectedInput): string | undefined;
  approvalRequested(input: ActionEventInput): string | undefined;
  approvalGranted(input: ApprovalInput): string | undefined;
  approvalDenied(input: ApprovalInput): string | undefined;
  /** Any record: an event (`kind: 'event'`) or an interaction (`kind: 'interaction'`). */
  record(input: RecordInput): string | undefined;
  recordInteraction(input: InteractionRecordInput): string | undefined;
  /** Starts an interaction to fill while the agent works; `end()` records it. */
  interaction(init: InteractionInit): InteractionBuilder;
  /** A child logger with more context, sharing this logger's pipeline (pino's child()). */
  withContext(context: LoggerContext): AuditLogger;
  /** Resolves when every record made before the call is exported, rejected or dropped. */
  flush(): Promise<void>;
  /** Flushes, shuts the exporter down, removes the exit hooks. Idempotent; never rejects. */
  shutdown(): Promise<void>;
  stats(): LoggerStats;
  /** Reads (loggers built on a storage only; otherwise they reject with READ_UNSUPPORTED). */
  queryEvents(query?: AuditQueryInput): Promise<Page<AuditEvent>>;
  countEvents(query?: AuditQueryInput): Promise<number>;
  queryInteractions(query?: AuditQueryInput): Promise<Page<Interaction>>;
  countInteractions(query?: AuditQueryInput): Promise<number>;
}

type Obj = Readonly<Record<string, unknown>>;
const REQUIRED = 'a non-empty string is required';

/** Creates a logger. Options are validated once; bad options throw AUDITRAIL_ERR_OPTIONS_INVALID. */
export function createAuditLogger(options: AuditLoggerOptions): AuditLogger {
  const o = parseLoggerOptions(options);
  return makeLogger(new Pipeline(o), o.context);
}

function makeLogger(p: Pipeline, context: Readonly<LoggerContext>): AuditLogger {
  const action = (m: ActionMethod) => (input: object): string | undefined => {
    try {
      if (typeof input !== 'object' || input === null) return p.rejectCheap(m.name, '(root)', 'expected an object');
      const i = input as Obj;
      const missing = missingEventField(i, context);
      if (missing !== undefined) return p.rejectCheap(m.name, missing, REQUIRED);
      return p.enqueue(i, context, m.build, i.eventId);
    } catch (err) {
      return p.internal(m.name, err);
    }
  };

  const interactionSink = (state: InteractionState, id: string): string | undefined => {
    try {
      const missing = missingInteractionField(state.init, context);
      if (missing !== undefined) return p.rejectCheap('interaction', missing, REQUIRED);
      return p.enqueue(state as unknown as Obj, context, buildInteractionFromState, id);
    } catch (err) {
      return p.internal('interaction', err);
    }
  };

  function recordInteraction(input: object, method: string): string | undefined {
    if (typeof input !== 'object' || input === null) return p.rejectCheap(method, '(root)', 'expected an object');
    const i = input as Obj;
    const missing = missingInteractionField(i, context);
    if (missing !== undefined) return p.rejectCheap(method, missing, REQUIRED);
    return p.enqueue(i, context, buildInteractionRecord, i.interactionId);
  }

  const logger: AuditLogger = {
    context,
    actionStarted: action(ACTION_METHODS.actionStarted),
    actionCompleted: action(ACTION_METHODS.actionCompleted),
    actionFailed: action(ACTION_METHODS.actionFailed),
    actionRejected: action(ACTION_METHODS.actionRejected),
    approvalRequested: action(ACTION_METHODS.approvalRequested),
    approvalGranted: action(ACTION_METHODS.approvalGranted),
    approvalDenied: action(ACTION_METHODS.approvalDenied),
    record(input) {
      try {
        if (typeof input !== 'object' || input === null) return p.rejectCheap('record', '(root)', 'expected an object');
        const i = input as Obj;
        if (i.kind === 'interaction') return recordInteraction(i, 'record');
        if (i.kind !== 'event') return p.rejectCheap('record', 'kind', "expected 'event' or 'interaction'");
        const missing = missingRecordEventField(i, context);
        if (missing !== undefined) return p.rejectCheap('record', missing, REQUIRED);
        return p.enqueue(i, context, buildEventRecord, i.eventId);
      } catch (err) {
        return p.internal('record', err);
      }
    },
    recordInteraction(input) {
      try {
        return recordInteraction(input, 'recordInteraction');
      } catch (err) {
        return p.internal('recordInteraction', err);
      }
    },
    interaction(init) {
      try {
        const given = typeof init === 'object' && init !== null ? init.interactionId : undefined;
        const id = typeof given === 'string' && given !== '' ? given : uuidv7();
        return new InteractionRecorder(init, id, interactionSink);
      } catch {
        // An init that cannot be read: the builder still works; end() reports the record as rejected.
        return new InteractionRecorder({} as InteractionInit, uuidv7(), interactionSink);
      }
    },
    withContext(more) {
      return makeLogger(p, Object.freeze({ ...context, ...parseLoggerContext(more) }));
    },
    flush: () => p.flush(),
    shutdown: () => p.shutdown(),
    stats: () => p.stats(),
    queryEvents: (q) => p.read(async (s) => s.queryEvents(parseQuery(q))),
    countEvents: (q) => p.read(async (s) => s.countEvents(parseQuery(q))),
    queryInteractions: (q) => p.read(async (s) => s.queryInteractions(parseQuery(q))),
    countInteractions: (q) => p.read(async (s) => s.countInteractions(parseQuery(q))),
  };
  return Object.freeze(logger);
}
