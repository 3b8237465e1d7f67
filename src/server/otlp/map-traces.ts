import type { ToolCall } from '../../core/interaction.js';
import { buildActionEvents, type ActionContext } from './build-action-events.js';
import { buildAuditEvent } from './build-audit-event.js';
import { buildInteraction, interactionIdOf } from './build-interaction.js';
import type { OtlpSpan } from './otlp-types.js';
import { AUDITRAIL } from './genai-attributes.js';
import { spanFacts, text } from './span-facts.js';
import { ancestors, descendants, interactionRoots, linkSpans, type SpanNode } from './span-tree.js';
import { isExportedToolCall } from './tool-calls.js';

/** A record made from spans, with the spans it came from (they count as rejected if it is). */
export interface MappedRecord {
  readonly value: Record<string, unknown>;
  readonly spanIndexes: readonly number[];
}

export interface TraceMappingOptions {
  readonly orgId: string;
  /** Tool calls already stored for an interaction (from tool spans of earlier requests). */
  readonly storedToolCalls: (interactionId: string) => Promise<readonly Omit<ToolCall, 'sequence'>[]>;
}

/**
 * The spans of one request as audit records (docs/otlp.md, "How spans become records"):
 * - each interaction root (an agent span with no agent above it; a model call outside any agent)
 *   with the spans below it in this request becomes one interaction;
 * - each tool span also becomes its action events, linked to the interaction above it in this
 *   request, or, when its parent span is not in the request, to the interaction its parent span
 *   makes (the agent span is a tool span's parent in every convention mapped here);
 * - each auditrail.event.type span becomes that one event;
 * - other spans make nothing (they only connect the ones that do).
 */
export async function mapTraces(spans: readonly OtlpSpan[], options: TraceMappingOptions): Promise<MappedRecord[]> {
  const { orgId } = options;
  const nodes = linkSpans(spans, spans.map((s) => spanFacts(s)));
  const roots = interactionRoots(nodes);
  const rootSet = new Set(roots);
  const out: MappedRecord[] = [];
  const contexts = new Map<SpanNode, ActionContext>();

  for (const root of roots) {
    const claimed = text(root.span.attributes, AUDITRAIL.interactionId);
    // an interaction exported by auditrail is complete as sent; only agent spans of other
    // instrumentations gather tool calls stored by earlier requests
    const stored = root.facts.role === 'agent' && claimed === undefined ? await options.storedToolCalls(interactionIdOf(orgId, root.span.traceId, root.span.spanId)) : [];
    const interaction = buildInteraction(orgId, root, stored.map((c, sequence) => ({ ...c, sequence })));
    const members = descendants(root);
    out.push({ value: interaction, spanIndexes: [root.span.index, ...members.filter((n) => n.facts.role === 'llm').map((n) => n.span.index)] });
    contexts.set(root, {
      interactionId: interaction.interactionId,
      link: 'in-request',
      sessionId: interaction.sessionId,
      userId: interaction.userId ?? undefined,
      agentId: interaction.agentId ?? undefined,
    });
  }

  for (const node of nodes) {
    if (node.facts.role === 'event') {
      out.push({ value: buildAuditEvent(orgId, node.span), spanIndexes: [node.span.index] });
      continue;
    }
    if (node.facts.role !== 'tool' || isExportedToolCall(node.span)) continue;
    const owner = [...ancestors(node)].find((n) => rootSet.has(n));
    let ctx: ActionContext | undefined = owner && contexts.get(owner);
    if (!ctx) {
      const parentId = node.span.parentSpanId;
      const orphan = parentId !== undefined && node.parent === undefined;
      ctx = {
        interactionId: orphan ? interactionIdOf(orgId, node.span.traceId, parentId) : undefined,
        link: orphan ? 'parent-span' : undefined,
        sessionId: undefined,
        userId: undefined,
        agentId: undefined,
      };
    }
    for (const event of buildActionEvents(orgId, node.span, node.facts, ctx)) out.push({ value: event, spanIndexes: [node.span.index] });
  }
  return out;
}
