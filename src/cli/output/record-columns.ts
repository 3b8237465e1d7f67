import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import type { SessionSummary } from '../../core/storage.js';
import type { Column } from './table.js';

export const INTERACTION_COLUMNS: readonly Column<Interaction>[] = [
  { header: 'TIME', value: (i) => i.timestamp },
  { header: 'INTERACTION', value: (i) => i.interactionId },
  { header: 'USER', value: (i) => i.userId },
  { header: 'AGENT', value: (i) => i.agentId },
  { header: 'MODEL', value: (i) => i.model },
  { header: 'STATUS', value: (i) => i.status },
  { header: 'MS', value: (i) => i.totalDurationMs },
  { header: 'TOOLS', value: (i) => i.toolCalls.length },
  { header: 'QUESTION', value: (i) => i.question, flexible: true },
];

export const EVENT_COLUMNS: readonly Column<AuditEvent>[] = [
  { header: 'TIME', value: (e) => e.timestamp },
  { header: 'EVENT', value: (e) => e.eventId },
  { header: 'TYPE', value: (e) => e.eventType },
  { header: 'USER', value: (e) => e.userId },
  { header: 'AGENT', value: (e) => e.agentId },
  { header: 'SUCCESS', value: (e) => e.success },
  { header: 'MS', value: (e) => e.durationMs },
  { header: 'ACTION', value: (e) => e.actionName, flexible: true },
];

export const SESSION_COLUMNS: readonly Column<SessionSummary>[] = [
  { header: 'FIRST SEEN', value: (s) => s.firstSeen },
  { header: 'LAST SEEN', value: (s) => s.lastSeen },
  { header: 'SESSION', value: (s) => s.sessionId },
  { header: 'USER', value: (s) => s.userId },
  { header: 'CLIENT IP', value: (s) => s.clientIp },
  { header: 'INTERACTIONS', value: (s) => s.interactionCount },
  { header: 'USER AGENT', value: (s) => s.userAgent, flexible: true },
];

/** One line per record for `tail`. */
export function tailLine(r: AuditEvent | Interaction): string {
  if (r.kind === 'interaction') {
    return `${r.timestamp}  interaction ${r.interactionId}  ${r.status.padEnd(9)} ${r.model}  ${r.userId ?? '-'}  ${oneLine(r.question, 100)}`;
  }
  return `${r.timestamp}  ${r.eventType.padEnd(18)} ${r.actionName}  ${r.userId}  ${r.agentId}${r.success === false ? '  FAILED' : ''}`;
}

function oneLine(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
