import type { AuditrailError} from '../../core/errors.js';
import { errorMessage } from '../../core/errors.js';
import { parseQuery } from '../../core/query.js';
import type { ToolCall } from '../../core/interaction.js';
import { inspectValue } from '../ingest/inspect-value.js';
import { prepareRecords } from '../ingest/prepare-records.js';
import type { ServerContext } from '../server-context.js';
import { createTenantReader } from '../tenancy/tenant-reader.js';
import type { MappedRecord } from './map-traces.js';
import type { InvalidItem } from './otlp-types.js';
import type { PartialSuccess } from './otlp-response.js';
import { toolCallsFromEvents } from './tool-calls.js';

const MAX_REASONS = 5;

/**
 * Validates the mapped records one by one (the record walk: depth, string length, prototype
 * keys; the schema; the org's redactor), queues the valid ones in chunks of
 * limits.max_batch_records and waits until they are durable. Answers what OTLP calls a partial
 * success: how many of the request's items (spans or log records) were refused, and why. A queue
 * refusal (QUEUE_FULL, SHUTTING_DOWN) or a storage failure is thrown: the request is answered
 * 503 and the client resends it whole, which stores nothing twice (ids derive from the spans).
 */
export async function storeMapped(ctx: ServerContext, orgId: string, mapped: readonly MappedRecord[], invalid: readonly InvalidItem[], noun: string): Promise<PartialSuccess | undefined> {
  const limits = ctx.config.limits;
  const rejectedItems = new Set<number>(invalid.map((i) => i.index));
  const reasons: string[] = invalid.slice(0, MAX_REASONS).map((i) => `${noun} ${i.index}: ${i.reason}`);
  const candidates: MappedRecord[] = [];
  for (const m of mapped) {
    if (m.failure !== undefined) {
      reject(m, m.failure);
      continue;
    }
    try {
      inspectValue(m.value, { maxDepth: limits.max_depth, maxStringLength: limits.max_string_length }, recordLabel(m));
      candidates.push(m);
    } catch (err) {
      reject(m, errorMessage(err));
    }
  }
  const prepared = prepareRecords(
    candidates.map((m) => m.value),
    orgId,
    ctx.redaction.forOrg(orgId),
  );
  for (const [index, result] of prepared.rejected) reject(candidates[index]!, `${result.code}: ${result.message ?? ''}`);

  let accepted = 0;
  let duplicates = 0;
  const chunk = Math.max(1, limits.max_batch_records);
  for (let i = 0; i < prepared.records.length; i += chunk) {
    const outcome = await ctx.queue.submit(orgId, prepared.records.slice(i, i + chunk));
    accepted += outcome.accepted;
    duplicates += outcome.duplicates;
  }
  ctx.metrics.recordOutcomes(accepted, duplicates, mapped.length - prepared.records.length);
  if (rejectedItems.size === 0) return undefined;
  const more = rejectedItems.size > reasons.length ? `; and ${rejectedItems.size - reasons.length} more` : '';
  return { rejected: rejectedItems.size, errorMessage: `${rejectedItems.size} ${noun}s rejected: ${reasons.join('; ')}${more}` };

  function reject(m: MappedRecord, why: string): void {
    for (const i of m.spanIndexes) rejectedItems.add(i);
    if (reasons.length < MAX_REASONS) reasons.push(`${recordLabel(m)} from ${noun} ${m.spanIndexes.join(',')}: ${why}`);
  }
}

function recordLabel(m: MappedRecord): string {
  const v = m.value as { kind?: unknown; eventType?: unknown };
  return v.kind === 'event' ? `event ${String(v.eventType)}` : 'interaction';
}

/** The tool calls an org already has for an interaction, from action events of earlier requests. */
export function storedToolCallsReader(ctx: ServerContext, orgId: string): (interactionId: string) => Promise<Omit<ToolCall, 'sequence'>[]> {
  const reader = createTenantReader(ctx.storage, orgId, ctx.encryption);
  return async (interactionId) => {
    const page = await reader.queryEvents(parseQuery({ interactionId, eventTypes: 'action_completed,action_failed,action_rejected', order: 'asc', limit: 1000 }));
    return toolCallsFromEvents(page.items);
  };
}

/** Answers that tell an OTLP client to come back later (with Retry-After): queue full, storage or queue unavailable, shutting down. */
export function isRetryable(err: AuditrailError): boolean {
  return err.status === 503 || err.status === 429;
}
