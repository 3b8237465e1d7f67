import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import {
  EVENT_NULLABLE,
  INTERACTION_NULLABLE,
  nullMask,
  THOUGHT_NULLABLE,
  TOOL_CALL_NULLABLE,
} from './columns.js';
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

/** Records must be normalized (normalizeRecord): timestamps are written as they are. */
export function buildCopyPayloads(interactions: readonly Interaction[], events: readonly AuditEvent[]): CopyPayloads {
  const ix: string[] = [];
  const th: string[] = [];
  const tc: string[] = [];
  const mt: string[] = [];
  const sp: string[] = [];
  for (const i of interactions) {
    const id = copyRaw(i.interactionId);
    const org = copyText(i.orgId);
    const at = i.timestamp;
    const where = (f: string) => () => `interaction ${i.interactionId}: ${f}`;
    ix.push(
      [
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
      ].join('\t'),
    );
    const prefix = `${id}\t${org}\t${at}\t`;
    for (let k = 0; k < i.thoughts.length; k++) {
      const t = i.thoughts[k]!;
      th.push(`${prefix}${k}\t${t.sequence}\t${copyText(t.content)}\t${copyTimestamp(t.timestamp)}\t${nullMask(t, THOUGHT_NULLABLE)}`);
    }
    for (let k = 0; k < i.toolCalls.length; k++) {
      const c = i.toolCalls[k]!;
      tc.push(
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
    }
    for (let k = 0; k < i.metrics.length; k++) {
      const m = i.metrics[k]!;
      mt.push(`${prefix}${k}\t${copyText(m.name)}\t${m.durationMs}`);
    }
    sp.push(`${id}\t${org}\t${at}`);
  }
  const ev: string[] = [];
  for (const e of events) {
    const where = (f: string) => () => `event ${e.eventId}: ${f}`;
    ev.push(
      [
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
      ].join('\t'),
    );
  }
  return { interactions: lines(ix), thoughts: lines(th), toolCalls: lines(tc), metrics: lines(mt), events: lines(ev), searchPending: lines(sp) };
}

function lines(rows: string[]): string {
  return rows.length === 0 ? '' : `${rows.join('\n')}\n`;
}
