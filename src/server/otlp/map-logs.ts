import { createHash } from 'node:crypto';
import { buildInteraction } from './build-interaction.js';
import { derivedId } from './derived-id.js';
import { GENAI, INFERENCE_DETAILS_EVENT, MESSAGE_EVENTS } from './genai-attributes.js';
import { guarded, type MappedRecord } from './map-traces.js';
import type { AttributeValue, OtlpLogRecord, OtlpSpan, OtlpSpanEvent } from './otlp-types.js';
import { spanFacts } from './span-facts.js';

/**
 * GenAI log events as interactions (docs/otlp.md, "Logs"): the older per-message events
 * (gen_ai.system/user/assistant/tool.message, gen_ai.choice) and the v1.37+
 * gen_ai.client.inference.operation.details event. The events of one model call share its span
 * context, so they are grouped by trace and span id; each group becomes one interaction (question
 * = the last user message, answer = the choice, tool calls the choice asked for, reasoning parts
 * as thoughts, provider and model when the events carry them), timed from its first to its last
 * event. Its id derives from org, trace and span id: re-sent logs store nothing twice. It is a
 * record of its own, apart from the interaction the call's span makes on /v1/traces; both carry
 * metadata.otel.traceId and spanId. Other log records are not GenAI and are left alone.
 */
export function mapLogs(records: readonly OtlpLogRecord[], orgId: string): MappedRecord[] {
  const groups = new Map<string, OtlpLogRecord[]>();
  for (const r of records) {
    if (!MESSAGE_EVENTS.has(r.eventName) && r.eventName !== INFERENCE_DETAILS_EVENT) continue;
    const key = r.traceId !== undefined && r.spanId !== undefined ? `${r.traceId}/${r.spanId}` : `record/${r.index}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const out: MappedRecord[] = [];
  for (const group of groups.values()) {
    group.sort((x, y) => (x.timeNs < y.timeNs ? -1 : x.timeNs > y.timeNs ? 1 : x.index - y.index));
    const span = pseudoSpan(group);
    const root = { span, facts: spanFacts(span, 'llm'), parent: undefined, children: [] };
    const interactionId = derivedId(['logs-interaction', orgId, span.traceId, span.spanId]);
    out.push(...guarded(group.map((r) => r.index), () => buildInteraction(orgId, root, [], { interactionId, signal: 'logs' })));
  }
  return out;
}

/**
 * The group as one model-call span: the events' attributes merged (gen_ai.system, models, usage,
 * the messages of an inference-details event), and the per-message events as span events whose
 * gen_ai.event.content is the log body, which is how the span mapping reads them.
 */
function pseudoSpan(group: readonly OtlpLogRecord[]): OtlpSpan {
  const first = group[0]!;
  const attributes = new Map<string, AttributeValue>();
  const events: OtlpSpanEvent[] = [];
  for (const r of group) {
    for (const [k, v] of r.attributes) if (k !== 'event.name') attributes.set(k, v);
    if (MESSAGE_EVENTS.has(r.eventName) && r.body !== undefined) events.push({ name: r.eventName, timeNs: r.timeNs, attributes: new Map([[GENAI.eventContent, r.body]]) });
  }
  const ids = first.traceId !== undefined && first.spanId !== undefined ? { traceId: first.traceId, spanId: first.spanId } : contentIds(first);
  return {
    index: first.index,
    ...ids,
    parentSpanId: undefined,
    name: first.eventName,
    kind: 0,
    startNs: first.timeNs,
    endNs: group[group.length - 1]!.timeNs,
    attributes,
    events,
    status: { code: 0, message: '' },
    resource: first.resource,
    scope: first.scope,
  };
}

/** A record without span context gets ids from its content, so that resending it maps to the same record. */
function contentIds(r: OtlpLogRecord): { traceId: string; spanId: string } {
  const h = createHash('sha256').update(`${r.timeNs}\u0000${r.eventName}\u0000${JSON.stringify(r.body ?? null)}`).digest('hex');
  return { traceId: h.slice(0, 32), spanId: h.slice(32, 48) };
}
