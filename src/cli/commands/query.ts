import { Argument, Command } from 'commander';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import type { SessionSummary } from '../../core/storage.js';
import { println, type CliContext } from '../cli-context.js';
import { addConnectionOptions, connect, type ConnectionFlags } from '../connection-options.js';
import { addFilterOptions, filterParams, type FilterFlags } from '../filter-options.js';
import { EVENT_COLUMNS, INTERACTION_COLUMNS, SESSION_COLUMNS } from '../output/record-columns.js';
import { renderTable } from '../output/table.js';

type Kind = 'interactions' | 'events' | 'sessions';

interface QueryFlags extends ConnectionFlags, FilterFlags {
  readonly id?: string;
  readonly limit?: string;
  readonly cursor?: string;
  readonly all?: boolean;
  readonly json?: boolean;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function queryCommand(ctx: CliContext): Command {
  const cmd = new Command('query')
    .summary('query interactions, events or sessions of your org')
    .description(
      "Query a running server (read scope). Prints a table, or with --json the server's JSON. Every filter\n" +
        'of the query model is an option; results are newest first unless --order asc. Long results come in\n' +
        'pages: the last line gives the --cursor of the next page, or use --all.',
    )
    .addArgument(new Argument('[kind]', 'what to query').choices(['interactions', 'events', 'sessions']).default('interactions'))
    .option('--id <id>', 'one record: an interaction (with its thoughts, tool calls and events), an event, or a session with its interactions')
    .option('--limit <n>', 'records per page (1-1000, default 100)')
    .option('--cursor <cursor>', 'continue after the page that printed this cursor')
    .option('--all', 'fetch every page')
    .option('--json', 'print JSON (one page object, or with --all one item per line)');
  addFilterOptions(cmd);
  addConnectionOptions(cmd);
  return cmd
    .addHelpText(
      'after',
      '\nExamples:\n  $ auditrail query                                   # the last 100 interactions\n  $ auditrail query --since 1h --status error --model gpt-4o\n  $ auditrail query --search "payments OOMKilled"\n  $ auditrail query events --event-type approval_denied,action_rejected\n  $ auditrail query sessions --user alice\n  $ auditrail query --id 0190d4b8-…  --json',
    )
    .action(async (kind: Kind, flags: QueryFlags) => {
      const api = connect(flags, ctx);
      if (flags.id) {
        const path = kind === 'sessions' ? 'sessions' : kind;
        const one = await api.get<unknown>(`/v1/${path}/${encodeURIComponent(flags.id)}`);
        return println(ctx.stdout, JSON.stringify(one, null, 2));
      }
      const params = { ...filterParams(flags), limit: flags.limit, cursor: flags.cursor };
      let cursor = flags.cursor;
      let printedHeader = false;
      for (;;) {
        const page = await api.get<Page<Interaction | AuditEvent | SessionSummary>>(`/v1/${kind}`, { ...params, cursor });
        if (flags.json && !flags.all) return println(ctx.stdout, JSON.stringify(page, null, 2));
        if (flags.json) for (const item of page.items) println(ctx.stdout, JSON.stringify(item));
        else if (page.items.length > 0 || !printedHeader) {
          const table = tableOf(kind, page.items, ctx.stdout.columns ?? 160);
          println(ctx.stdout, printedHeader ? table.split('\n').slice(1).join('\n') : table);
          printedHeader = true;
        }
        if (!page.nextCursor) break;
        if (!flags.all) {
          if (!flags.json) println(ctx.stderr, `more: --cursor ${page.nextCursor}`);
          break;
        }
        cursor = page.nextCursor;
      }
    });
}

function tableOf(kind: Kind, items: readonly unknown[], width: number): string {
  if (kind === 'events') return renderTable(EVENT_COLUMNS, items as AuditEvent[], width);
  if (kind === 'sessions') return renderTable(SESSION_COLUMNS, items as SessionSummary[], width);
  return renderTable(INTERACTION_COLUMNS, items as Interaction[], width);
}
