import { InvalidArgumentError, Option, type Command } from 'commander';
import type { QueryParams } from './api-client.js';

/** The query model's filters as options (org is always the key's). */
export interface FilterFlags {
  readonly user?: string;
  readonly agent?: string;
  readonly session?: string;
  readonly interaction?: string;
  readonly actionId?: string;
  readonly actionName?: string;
  readonly eventType?: string[];
  readonly success?: string;
  readonly model?: string;
  readonly status?: string;
  readonly provider?: string;
  readonly cluster?: string;
  readonly search?: string;
  readonly from?: string;
  readonly to?: string;
  readonly since?: number;
  readonly order?: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "2h", "7d" to milliseconds (for --since). */
export function parseSince(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('expected a duration like 30s, 15m, 2h or 7d');
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--user <id>', 'user id')
    .option('--agent <id>', 'agent id')
    .option('--session <id>', 'session id')
    .option('--interaction <id>', 'interaction id (events: those of one interaction)')
    .option('--action-id <id>', 'action id (events)')
    .option('--action-name <name>', 'action or tool name')
    .option('--event-type <type>', 'event type, repeatable or comma-separated (action_started, approval_denied, …)', collect)
    .addOption(new Option('--success <bool>', 'events that succeeded or not').choices(['true', 'false']))
    .option('--model <name>', 'model (interactions)')
    .addOption(new Option('--status <status>', 'interaction status').choices(['success', 'error', 'cancelled', 'timeout']))
    .option('--provider <name>', 'model provider (interactions)')
    .option('--cluster <name>', 'cluster (interactions)')
    .option('--search <text>', 'full-text search over questions and answers; every word must occur')
    .option('--from <time>', 'from this time, inclusive (ISO 8601, e.g. 2026-03-01T00:00:00Z)')
    .option('--to <time>', 'up to this time, exclusive (ISO 8601)')
    .option('--since <duration>', 'shorthand for --from now minus 30s / 15m / 2h / 7d', parseSince)
    .addOption(new Option('--order <order>', 'newest first (desc) or oldest first (asc)').choices(['asc', 'desc']));
}

export function filterParams(f: FilterFlags, nowMs: number = Date.now()): Record<string, string | undefined> {
  return {
    userId: f.user,
    agentId: f.agent,
    sessionId: f.session,
    interactionId: f.interaction,
    actionId: f.actionId,
    actionName: f.actionName,
    eventTypes: f.eventType?.join(','),
    success: f.success,
    model: f.model,
    status: f.status,
    provider: f.provider,
    cluster: f.cluster,
    search: f.search,
    from: f.from ?? (f.since !== undefined ? new Date(nowMs - f.since).toISOString() : undefined),
    to: f.to,
    order: f.order,
  } satisfies QueryParams;
}
