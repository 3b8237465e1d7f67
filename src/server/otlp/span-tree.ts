import type { SpanFacts } from './span-facts.js';
import type { OtlpSpan } from './otlp-types.js';

export interface SpanNode {
  readonly span: OtlpSpan;
  readonly facts: SpanFacts;
  parent: SpanNode | undefined;
  readonly children: SpanNode[];
}

/**
 * Links the spans of one request to their parents (same trace, parent present in the request).
 * A parent chain that loops (only a hostile or broken exporter sends one) is cut where it closes,
 * so every walk up or down terminates.
 */
export function linkSpans(spans: readonly OtlpSpan[], facts: readonly SpanFacts[]): SpanNode[] {
  const nodes: SpanNode[] = spans.map((span, i) => ({ span, facts: facts[i]!, parent: undefined, children: [] }));
  const byKey = new Map<string, SpanNode>();
  // a span id sent twice in one request: the first one is the parent others link to
  for (const n of nodes) if (!byKey.has(key(n.span.traceId, n.span.spanId))) byKey.set(key(n.span.traceId, n.span.spanId), n);
  for (const n of nodes) {
    if (n.span.parentSpanId === undefined) continue;
    const p = byKey.get(key(n.span.traceId, n.span.parentSpanId));
    if (p && p !== n) n.parent = p;
  }
  for (const n of nodes) {
    const seen = new Set<SpanNode>([n]);
    for (let at = n; at.parent; at = at.parent) {
      if (seen.has(at.parent)) {
        at.parent = undefined;
        break;
      }
      seen.add(at.parent);
    }
  }
  for (const n of nodes) n.parent?.children.push(n);
  return nodes;
}

function key(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

export function* ancestors(node: SpanNode): Generator<SpanNode> {
  for (let at = node.parent; at; at = at.parent) yield at;
}

/** The descendants of a node, depth first, in no particular order. */
export function descendants(node: SpanNode): SpanNode[] {
  const out: SpanNode[] = [];
  const stack = [...node.children];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...n.children);
  }
  return out;
}

/**
 * The spans that each become one interaction: every agent span with no agent span above it in
 * the request, and every model-call span with neither an agent nor a model-call span above it
 * (a model call made outside any agent is an interaction of its own).
 */
export function interactionRoots(nodes: readonly SpanNode[]): SpanNode[] {
  return nodes.filter((n) => {
    if (n.facts.role === 'agent') return ![...ancestors(n)].some((a) => a.facts.role === 'agent');
    if (n.facts.role === 'llm') return ![...ancestors(n)].some((a) => a.facts.role === 'agent' || a.facts.role === 'llm');
    return false;
  });
}
