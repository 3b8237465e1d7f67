import { errorMessage } from '../../core/errors.js';
import type { InteractionInput, ToolCall } from '../../core/interaction.js';
import { buildActionEvents, type ActionContext } from './build-action-events.js';
import { buildAuditEvent } from './build-audit-event.js';
import { buildInteraction, interactionIdOf } from './build-interaction.js';
import type { OtlpSpan } from './otlp-types.js';
import { AUDITRAIL } from './genai-attributes.js';
import { spanFacts, text } from './span-facts.js';
import { ancestors, descendants, interactionRoots, linkSpans, type SpanNode } from './span-tree.js';
import { isExportedToolCall } from './tool-calls.js';

/**
 * A record made from spans, with the spans it came from (they count as rejected if it is), or
 * why it could not be made (`failure`): one span that trips the mapping never sinks the request.
 */
export interface MappedRecord {
  readonly value: Record<string, unknown>;
  readonly spanIndexes: readonly number[];
  readonly failure?: string;
}

/** Runs one record's mapping; an exception becomes a failed record for those spans. */
export function guarded(spanIndexes: readonly number[], make: () => object | readonly object[]): MappedRecord[] {
  try {
    const made = make();
    return (Array.isArray(made) ? made : [made]).map((value: object) => ({ value: value as Record<string, unknown>, spanIndexes }));
  } catch (err) {
    return [{ value: {}, spanIndexes, failure: `could not be mapped: ${errorMessage(err)}` }];
  }
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

  // an interaction exported by auditrail is complete as sent; only agent spans of other
  // instrumentations gather tool calls stored by earlier requests (looked up side by side)
  const storedFor = await Promise.all(
    roots.map((root) =>
      root.facts.role === 'agent' && text(root.span.attributes, AUDITRAIL.interactionId) === undefined
        ? options.storedToolCalls(interactionIdOf(orgId, root.span.traceId, root.span.spanId))
        : Promise.resolve([]),
    ),
  );
  for (const [k, root] of roots.entries()) {
    const stored = storedFor[k]!;
    const members = descendants(root);
    const spanIndexes = [root.span.index, ...members.filter((n) => n.facts.role === 'llm').map((n) => n.span.index)];
    let interaction: InteractionInput | undefined;
    out.push(
      ...guarded(spanIndexes, () => {
        interaction = buildInteraction(orgId, root, stored.map((c, sequence) => ({ ...c, sequence })));
        return interaction;
      }),
    );
    if (interaction) {
      contexts.set(root, {
        interactionId: interaction.interactionId,
        link: 'in-request',
        sessionId: interaction.sessionId,
        userId: interaction.userId ?? undefined,
        agentId: interaction.agentId ?? undefined,
      });
    }
  }

  for (const node of nodes) {
    if (node.facts.role === 'event') {
      out.push(...guarded([node.span.index], () => buildAuditEvent(orgId, node.span)));
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
    const actionContext = ctx;
    out.push(...guarded([node.span.index], () => buildActionEvents(orgId, node.span, node.facts, actionContext)));
  }
  return out;
}
