import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { EVENT_NULLABLE, INTERACTION_NULLABLE, nullMask, THOUGHT_NULLABLE, TOOL_CALL_NULLABLE } from './columns.js';
import { copyBool, copyJson, copyNullableText, copyNumber, copyRaw, copyText, copyTimestamp, NULL } from './copy-format.js';

/** COPY text for the tables one batch of new records fills (columns.ts gives the column order). */
export interface CopyPayloads {
  interactions: string;
  thoughts: string;
  toolCalls: string;
  metrics: string;
  events: string;
  searchPending: string;
}

/** One interaction's COPY lines (without newlines), one field per table. */
export interface InteractionLines {
  readonly interaction: string;
  readonly thoughts: readonly string[];
  readonly toolCalls: readonly string[];
  readonly metrics: readonly string[];
  readonly searchPending: string;
}

/** The interaction must be normalized (normalizeRecord): timestamps are written as they are. */
export function interactionLines(i: Interaction): InteractionLines {
  const id = copyRaw(i.interactionId);
  const org = copyText(i.orgId);
  const at = i.timestamp;
  const where = (f: string) => () => `interaction ${i.interactionId}: ${f}`;
  const interaction = [
    id,
    org,
    at,
    copyText(i.sessionId),
    copyNullableText(i.userId),
    copyNullableText(i.agentId),
    copyNullableText(i.clientIp),
    copyNullableText(i.userAgent),
    copyText(i.question),
    copyText(i.model),
    copyNullableText(i.provider),
    copyNullableText(i.baseUrl),
    copyNullableText(i.cluster),
    copyNullableText(i.finalAnswer),
    i.status,
    copyNullableText(i.errorMessage),
    copyNumber(i.totalDurationMs),
    copyNumber(i.assistantDurationMs),
    copyNumber(i.parseDurationMs),
    copyJson(i.usage, where('usage')),
    copyJson(i.metadata, where('metadata')),
    String(nullMask(i, INTERACTION_NULLABLE)),
  ].join('\t');
  const prefix = `${id}\t${org}\t${at}\t`;
  const thoughts = i.thoughts.map((t, k) => `${prefix}${k}\t${t.sequence}\t${copyText(t.content)}\t${copyTimestamp(t.timestamp)}\t${nullMask(t, THOUGHT_NULLABLE)}`);
  const toolCalls = i.toolCalls.map((c, k) =>
    [
      `${prefix}${k}`,
      String(c.sequence),
      copyText(c.name),
      copyJson(c.input, where(`toolCalls.${k}.input`)),
      copyJson(c.observation, where(`toolCalls.${k}.observation`)),
      copyNumber(c.durationMs),
      copyTimestamp(c.startedAt),
      c.status,
      copyNullableText(c.errorMessage),
      copyNullableText(c.actionId),
      String(nullMask(c, TOOL_CALL_NULLABLE)),
    ].join('\t'),
  );
  const metrics = i.metrics.map((m, k) => `${prefix}${k}\t${copyText(m.name)}\t${m.durationMs}`);
  return { interaction, thoughts, toolCalls, metrics, searchPending: `${id}\t${org}\t${at}` };
}

/** The event must be normalized. */
export function eventLine(e: AuditEvent): string {
  const where = (f: string) => () => `event ${e.eventId}: ${f}`;
  return [
    copyRaw(e.eventId),
    copyText(e.orgId),
    e.timestamp,
    e.eventType,
    copyText(e.userId),
    copyText(e.agentId),
    copyText(e.sessionId),
    copyText(e.actionId),
    copyText(e.actionName),
    copyJson(e.actionParams, where('actionParams')),
    e.interactionId ? copyRaw(e.interactionId) : NULL,
    copyNullableText(e.capabilityType),
    copyNullableText(e.capabilitySource),
    copyNullableText(e.capabilityVersion),
    copyNullableText(e.mcpServerId),
    copyNullableText(e.mcpServerName),
    copyBool(e.requiresApproval),
    copyBool(e.approvalGranted),
    copyNullableText(e.approver),
    copyNullableText(e.reason),
    copyBool(e.success),
    String(e.durationMs),
    copyNullableText(e.errorMessage),
    e.severity,
    copyJson(e.metadata, where('metadata')),
    String(nullMask(e, EVENT_NULLABLE)),
  ].join('\t');
}

/** Joins prepared lines into the COPY payloads of one batch. */
export function assemblePayloads(interactions: readonly InteractionLines[], events: readonly string[]): CopyPayloads {
  const th: string[] = [];
  const tc: string[] = [];
  const mt: string[] = [];
  for (const l of interactions) {
    for (const t of l.thoughts) th.push(t);
    for (const c of l.toolCalls) tc.push(c);
    for (const m of l.metrics) mt.push(m);
  }
  return {
    interactions: lines(interactions.map((l) => l.interaction)),
    thoughts: lines(th),
    toolCalls: lines(tc),
    metrics: lines(mt),
    events: lines(events),
    searchPending: lines(interactions.map((l) => l.searchPending)),
  };
}

/** Records must be normalized (normalizeRecord). */
export function buildCopyPayloads(interactions: readonly Interaction[], events: readonly AuditEvent[]): CopyPayloads {
  return assemblePayloads(interactions.map(interactionLines), events.map(eventLine));
}

function lines(rows: readonly string[]): string {
  return rows.length === 0 ? '' : `${rows.join('\n')}\n`;
}
