import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import type { AuditRecord } from '../../core/record.js';
import type { Checkpoint } from '../checkpoint.js';
import { entryParts } from '../chain-encoding.js';
import { chainHash, genesisHash, type ChainHead } from '../hash-chain.js';
import type { SigningKeyring } from '../keyring.js';
import { appendToOrgChain, cutCheckpoint, startOrgChain, type OrgChainState } from '../org-chain.js';

/** A stored row as a test tampers with it: mutable on purpose. */
export interface FixtureRow {
  seq: number;
  hash: Uint8Array;
  record: AuditRecord;
}

export const FIXTURE_ORG = 'org_integrity';
const START_MS = Date.UTC(2026, 0, 15);

function id(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `01900000-0000-7000-8000-${hex}`;
}

/** `n` valid records of one org (no zod on the way: fast enough for 100,000); one in four is an interaction. */
export function fixtureRecords(n: number, orgId = FIXTURE_ORG, offset = 0): AuditRecord[] {
  const out: AuditRecord[] = new Array<AuditRecord>(n);
  for (let k = 0; k < n; k++) {
    const i = k + offset;
    const timestamp = new Date(START_MS + i * 1000).toISOString();
    if (i % 4 === 3) {
      const r: Interaction = {
        kind: 'interaction',
        interactionId: id(i),
        timestamp,
        orgId,
        sessionId: `sess-${i % 17}`,
        userId: `u_${i % 5}`,
        agentId: 'agent_ops',
        question: `为什么 pod-${i} 一直重启？`,
        model: 'gpt-4o',
        provider: 'openai',
        thoughts: [{ sequence: 0, content: `look at pod-${i} 🤔` }],
        toolCalls: [{ sequence: 0, name: 'kubectl_get', input: { pod: `pod-${i}`, ns: 'default' }, observation: 'CrashLoopBackOff', durationMs: 12, status: 'success' }],
        finalAnswer: 'The ConfigMap is missing.',
        status: 'success',
        totalDurationMs: 1200 + (i % 100),
        metrics: [{ name: 'llm', durationMs: 900 }],
        usage: { inputTokens: 100 + (i % 50), outputTokens: 20 },
        metadata: { n: i },
      };
      out[k] = r;
    } else {
      const r: AuditEvent = {
        kind: 'event',
        eventId: id(i),
        eventType: i % 2 === 0 ? 'action_started' : 'action_completed',
        timestamp,
        orgId,
        userId: `u_${i % 5}`,
        agentId: 'agent_ops',
        sessionId: `sess-${i % 17}`,
        actionId: `act-${Math.floor(i / 2)}`,
        actionName: 'kubectl_restart',
        actionParams: { deployment: `web-${i % 9}`, replicas: i % 4, dryRun: false },
        requiresApproval: false,
        success: i % 2 === 0 ? null : true,
        durationMs: i % 2 === 0 ? 0 : 40 + (i % 60),
        severity: 'info',
        metadata: { attempt: 1 },
      };
      out[k] = r;
    }
  }
  return out;
}

export interface FixtureChain {
  readonly rows: FixtureRow[];
  /** Every checkpoint cut, in order: what the database and the external log both hold. */
  readonly checkpoints: Checkpoint[];
  readonly head: ChainHead;
  readonly state: OrgChainState;
}

/**
 * Chains `records` as the writer would, in batches of `batchSize`, cutting a checkpoint after
 * every `checkpointEvery` records (a multiple of batchSize) and once at the end when asked.
 */
export function buildChain(
  records: readonly AuditRecord[],
  keyring: SigningKeyring,
  options: { orgId?: string; batchSize?: number; checkpointEvery?: number; finalCheckpoint?: boolean; state?: OrgChainState; startMs?: number } = {},
): FixtureChain {
  const orgId = options.orgId ?? FIXTURE_ORG;
  const batch = options.batchSize ?? 50;
  const every = options.checkpointEvery ?? 200;
  let state = options.state ?? startOrgChain(orgId);
  let now = options.startMs ?? START_MS;
  const rows: FixtureRow[] = [];
  const checkpoints: Checkpoint[] = [];
  for (let i = 0; i < records.length; i += batch) {
    const slice = records.slice(i, i + batch);
    const r = appendToOrgChain(state, slice, now);
    state = r.state;
    r.entries.forEach((e, k) => rows.push({ seq: e.seq, hash: e.hash, record: slice[k]! }));
    now += 1000;
    if (state.periodSize >= every) {
      const c = cutCheckpoint(state, keyring, now);
      state = c.state;
      checkpoints.push(c.checkpoint);
    }
  }
  if (options.finalCheckpoint && state.periodSize > 0) {
    const c = cutCheckpoint(state, keyring, now + 1);
    state = c.state;
    checkpoints.push(c.checkpoint);
  }
  return { rows, checkpoints, head: state.head, state };
}

/** Recomputes the stored hashes from rows[from] on, as an attacker who knows the scheme would. */
export function rehashFrom(rows: FixtureRow[], from: number, orgId = FIXTURE_ORG): void {
  let prev: Uint8Array = from === 0 ? genesisHash(orgId) : rows[from - 1]!.hash;
  for (let i = from; i < rows.length; i++) {
    const r = rows[i]!;
    r.hash = chainHash(prev, entryParts(orgId, r.record), r.seq);
    prev = r.hash;
  }
}

/** A deep copy of rows, so that each test tampers with its own. */
export function copyRows(rows: readonly FixtureRow[]): FixtureRow[] {
  return rows.map((r) => ({ seq: r.seq, hash: r.hash, record: r.record }));
}
