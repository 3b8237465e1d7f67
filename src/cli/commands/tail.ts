import { Argument, Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { SERVER_AGENT_ID } from '../../server/tenancy/access-audit.js';
import { println, type CliContext } from '../cli-context.js';
import { addConnectionOptions, connect, type ConnectionFlags } from '../connection-options.js';
import { addFilterOptions, filterParams, parseSince, type FilterFlags } from '../filter-options.js';
import { tailLine } from '../output/record-columns.js';

type Kind = 'interactions' | 'events';
type Item = Interaction | AuditEvent;

interface TailFlags extends ConnectionFlags, FilterFlags {
  readonly interval: string;
  readonly lookback: number;
  readonly includeAccess?: boolean;
  readonly json?: boolean;
}

export function tailCommand(ctx: CliContext): Command {
  const cmd = new Command('tail')
    .summary('follow new interactions or events as they arrive')
    .description(
      'Print records as they arrive, like `tail -f`, by polling the server (read scope). Each poll asks for\n' +
        'records from a short look-back window before now, oldest first, paging with the cursor, and prints\n' +
        "those not printed yet, so records whose own timestamp is a little late (an agent's batch flushed\n" +
        "after a few seconds) still appear. The server's own records of your queries are hidden unless\n" +
        '--include-access. Stop with Ctrl-C.',
    )
    .addArgument(new Argument('[kind]', 'what to follow').choices(['interactions', 'events']).default('interactions'))
    .option('--interval <ms>', 'milliseconds between polls', '1000')
    .option('--lookback <duration>', 'how late a record may arrive and still be shown (30s, 5m, …)', parseSince, 60_000)
    .option('--include-access', "also show the server's auditrail.query/export records")
    .option('--json', 'one JSON record per line');
  addFilterOptions(cmd);
  addConnectionOptions(cmd);
  return cmd
    .addHelpText('after', '\nExamples:\n  $ auditrail tail\n  $ auditrail tail events --event-type approval_requested,approval_denied\n  $ auditrail tail --since 10m --model gpt-4o --json')
    .action(async (kind: Kind, flags: TailFlags) => {
      await tail(kind, flags, ctx);
    });
}

async function tail(kind: Kind, flags: TailFlags, ctx: CliContext): Promise<void> {
  const api = connect(flags, ctx);
  const intervalMs = Math.max(100, Number(flags.interval) || 1000);
  const base = filterParams(flags);
  const startMs = base.from ? Date.parse(base.from) : Date.now();
  /** Printed ids with their timestamps; forgotten once older than the look-back window. */
  const seen = new Map<string, number>();
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  println(ctx.stderr, `following ${kind} from ${new Date(startMs).toISOString()} (Ctrl-C to stop)…`);
  while (!stop.signal.aborted) {
    const fromMs = Math.max(startMs, Date.now() - flags.lookback);
    let cursor: string | undefined;
    do {
      const page = await api.get<{ items: Item[]; nextCursor: string | null }>(`/v1/${kind}`, { ...base, from: new Date(fromMs).toISOString(), order: 'asc', limit: 1000, cursor });
      for (const item of page.items) {
        const id = item.kind === 'event' ? item.eventId : item.interactionId;
        if (seen.has(id)) continue;
        seen.set(id, Date.parse(item.timestamp));
        if (!flags.includeAccess && item.kind === 'event' && item.agentId === SERVER_AGENT_ID) continue;
        println(ctx.stdout, flags.json ? JSON.stringify(item) : tailLine(item));
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    for (const [id, t] of seen) if (t < fromMs) seen.delete(id);
    await sleep(intervalMs, undefined, { signal: stop.signal }).catch(() => undefined);
  }
}
