import { uuidv7 } from '../../core/ids.js';
import { parseRecordOrThrow } from '../../core/record.js';
import type { AuthContext } from '../auth/authenticator.js';
import type { WriteQueue } from '../queue/write-queue.js';

export type AccessAction = 'auditrail.query' | 'auditrail.export' | 'auditrail.analytics' | 'auditrail.keys' | 'auditrail.verify' | 'auditrail.checkpoints' | 'auditrail.proof' | 'auditrail.chain-export';

export interface AccessDetails {
  readonly method: string;
  readonly path: string;
  /** The filters of the query, as validated. */
  readonly filters: Record<string, unknown>;
  readonly clientIp: string;
  readonly userAgent: string | undefined;
  readonly requestId: string;
}

/** The agent id of records the server writes about itself (clients may hide them, e.g. `tail`). */
export const SERVER_AGENT_ID = 'auditrail-server';

/**
 * Access to the audit data is itself audited: every query, export and key change records an
 * action event in the caller's org (who: the key; what: the filters), durably, before the data
 * is returned. If it cannot be recorded, the read fails (fail closed).
 */
export interface AccessAuditor {
  record(auth: AuthContext, action: AccessAction, details: AccessDetails): Promise<void>;
}

export function createAccessAuditor(queue: WriteQueue): AccessAuditor {
  return {
    async record(auth, action, d) {
      const record = parseRecordOrThrow({
        kind: 'event',
        eventId: uuidv7(),
        eventType: 'action_completed',
        timestamp: new Date().toISOString(),
        orgId: auth.orgId,
        userId: `key:${auth.keyId}`,
        agentId: SERVER_AGENT_ID,
        sessionId: 'auditrail-access',
        actionId: `request:${d.requestId}`,
        actionName: action,
        actionParams: { method: d.method, path: d.path, filters: d.filters, clientIp: d.clientIp, userAgent: d.userAgent ?? null, scopes: auth.scopes },
        capabilityType: 'data_access',
        capabilitySource: 'auditrail',
        success: true,
        severity: 'info',
      });
      await queue.submit(auth.orgId, [record], { bypassCapacity: true });
    },
  };
}
