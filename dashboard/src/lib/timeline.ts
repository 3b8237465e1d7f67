import type { AuditEvent, Interaction, Thought, ToolCall } from '../api/types.js';

export interface WaterfallBar {
  readonly call: ToolCall;
  /** Offset from the interaction's start, ms. */
  readonly startMs: number;
  readonly durationMs: number;
  /** No startedAt: placed right after the previous call. */
  readonly estimated: boolean;
}

export interface Waterfall {
  readonly bars: readonly WaterfallBar[];
  readonly totalMs: number;
  readonly t0: number;
}

/** Lays tool calls out on the interaction's time axis, from startedAt and durationMs. */
export function layoutWaterfall(i: Interaction): Waterfall {
  const calls = [...i.toolCalls].sort((a, b) => a.sequence - b.sequence);
  const starts = calls.map((c) => (c.startedAt ? Date.parse(c.startedAt) : NaN)).filter((t) => !Number.isNaN(t));
  const t0 = Math.min(Date.parse(i.timestamp), ...starts);
  let cursor = 0;
  const bars = calls.map((call): WaterfallBar => {
    const known = call.startedAt ? Date.parse(call.startedAt) : NaN;
    const startMs = Number.isNaN(known) ? cursor : known - t0;
    const durationMs = call.durationMs ?? 0;
    cursor = Math.max(cursor, startMs + durationMs);
    return { call, startMs, durationMs, estimated: Number.isNaN(known) };
  });
  const totalMs = Math.max(i.totalDurationMs ?? 0, cursor, 1);
  return { bars, totalMs, t0 };
}

export type Step = { readonly kind: 'thought'; readonly thought: Thought } | { readonly kind: 'tool'; readonly call: ToolCall };

/**
 * Thoughts and tool calls in the order they happened: by time when every step has one, else by
 * sequence with a thought before the tool call of the same sequence (think, then act).
 */
export function orderSteps(i: Interaction): Step[] {
  const steps: Step[] = [...i.thoughts.map((thought) => ({ kind: 'thought' as const, thought })), ...i.toolCalls.map((call) => ({ kind: 'tool' as const, call }))];
  const timeOf = (s: Step) => Date.parse((s.kind === 'thought' ? s.thought.timestamp : s.call.startedAt) ?? '');
  const allTimed = steps.every((s) => !Number.isNaN(timeOf(s)));
  const seq = (s: Step) => (s.kind === 'thought' ? s.thought.sequence : s.call.sequence);
  return steps.sort((a, b) => {
    if (allTimed && timeOf(a) !== timeOf(b)) return timeOf(a) - timeOf(b);
    if (seq(a) !== seq(b)) return seq(a) - seq(b);
    return a.kind === b.kind ? 0 : a.kind === 'thought' ? -1 : 1;
  });
}

/** The approval story of one action, read from its seed-000 events. */
export interface ApprovalTrail {
  readonly requested: AuditEvent | undefined;
  readonly decision: AuditEvent | undefined;
  readonly rejected: AuditEvent | undefined;
  readonly events: readonly AuditEvent[];
}

export function approvalTrail(events: readonly AuditEvent[]): ApprovalTrail {
  const sorted = [...events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  return {
    requested: sorted.find((e) => e.eventType === 'approval_requested'),
    decision: sorted.find((e) => e.eventType === 'approval_granted' || e.eventType === 'approval_denied'),
    rejected: sorted.find((e) => e.eventType === 'action_rejected'),
    events: sorted,
  };
}

export function groupByAction(events: readonly AuditEvent[]): Map<string, AuditEvent[]> {
  const out = new Map<string, AuditEvent[]>();
  for (const e of events) {
    const list = out.get(e.actionId);
    if (list) list.push(e);
    else out.set(e.actionId, [e]);
  }
  return out;
}
