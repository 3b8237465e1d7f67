import type { AuditEvent, Interaction } from '../../core/index.js';
import { renderTable } from '../output/table.js';

/** What the demo prints: each interaction with its tool calls, then the action/approval trail. */
export function demoReport(interactions: readonly Interaction[], events: readonly AuditEvent[], width: number): string {
  const out: string[] = [];
  for (const i of interactions) {
    out.push(`■ ${i.status.toUpperCase().padEnd(7)} ${i.question}`);
    out.push(`  model ${i.model} (${i.provider ?? '-'}), ${i.totalDurationMs ?? '?'} ms, tokens in/out ${i.usage?.inputTokens ?? 0}/${i.usage?.outputTokens ?? 0}`);
    for (const t of i.thoughts) out.push(`  thought ${t.sequence}: ${t.content}`);
    for (const c of i.toolCalls) out.push(`  tool    ${c.sequence}: ${c.name} → ${c.status} in ${c.durationMs ?? '?'} ms${c.errorMessage ? ` (${c.errorMessage})` : ''}`);
    out.push(`  answer: ${i.finalAnswer ?? '-'}`, '');
  }
  out.push('Action and approval events, in order:');
  out.push(
    renderTable(
      [
        { header: 'time', value: (e: AuditEvent) => e.timestamp.slice(11, 23) },
        { header: 'event', value: (e: AuditEvent) => e.eventType },
        { header: 'action', value: (e: AuditEvent) => e.actionName },
        { header: 'severity', value: (e: AuditEvent) => e.severity },
        { header: 'approver', value: (e: AuditEvent) => e.approver },
        { header: 'detail', value: (e: AuditEvent) => e.reason ?? e.errorMessage ?? (e.durationMs > 0 ? `${e.durationMs} ms` : ''), flexible: true },
      ],
      events,
      width,
    ),
  );
  return out.join('\n');
}
