import { Command, Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { createWriteStream, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AuditrailError, errorMessage } from '../../core/errors.js';
import { println, type CliContext } from '../cli-context.js';
import { addConnectionOptions, connect, type ConnectionFlags } from '../connection-options.js';
import { countingTransform, resumePoint, type ExportFormat } from '../export-file.js';
import { addFilterOptions, filterParams, type FilterFlags } from '../filter-options.js';

interface ExportFlags extends ConnectionFlags, FilterFlags {
  readonly out: string;
  readonly format?: ExportFormat;
  readonly kind: 'interactions' | 'events';
  readonly maxRows?: string;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly progress: boolean;
}

export function exportCommand(ctx: CliContext): Command {
  const cmd = new Command('export')
    .summary('export records to a JSONL or CSV file, with a progress bar')
    .description(
      'Stream every matching record of your org (read scope) into a file, oldest first, in constant memory\n' +
        'on both ends. JSONL keeps every value exact and ends with an {"kind":"export_end"} line; CSV has one\n' +
        'row per record (nested values as JSON). If the export is interrupted, run the same command with\n' +
        '--resume: it continues after the last complete row.',
    )
    .requiredOption('-o, --out <file>', 'the file to write')
    .addOption(new Option('--format <format>', 'file format (default: from the file extension, else jsonl)').choices(['jsonl', 'csv']))
    .addOption(new Option('--kind <kind>', 'what to export').choices(['interactions', 'events']).default('interactions'))
    .option('--max-rows <n>', 'stop after this many rows')
    .option('--resume', 'continue an interrupted export into the same file')
    .option('--force', 'overwrite the file if it exists')
    .option('--no-progress', 'no progress bar');
  addFilterOptions(cmd);
  addConnectionOptions(cmd);
  return cmd
    .addHelpText('after', '\nExamples:\n  $ auditrail export -o march.jsonl --from 2026-03-01T00:00:00Z --to 2026-04-01T00:00:00Z\n  $ auditrail export -o denied.csv --kind events --event-type approval_denied\n  $ auditrail export -o march.jsonl --from 2026-03-01T00:00:00Z --to 2026-04-01T00:00:00Z --resume')
    .action(async (flags: ExportFlags) => {
      await runExport(flags, ctx);
    });
}

async function runExport(flags: ExportFlags, ctx: CliContext): Promise<void> {
  const format: ExportFormat = flags.format ?? (flags.out.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  const api = connect(flags, ctx);
  const filters = filterParams(flags);
  let cursor: string | undefined;
  let append = false;
  let skipHeader = false;
  if (existsSync(flags.out)) {
    if (flags.resume) {
      const point = await resumePoint(flags.out, format);
      if (point.complete) return println(ctx.stdout, `${flags.out} is already a complete export.`);
      cursor = point.cursor;
      append = true;
      skipHeader = point.hasHeader;
      if (point.timestamp) println(ctx.stderr, `resuming after ${point.timestamp}`);
    } else if (!flags.force) {
      throw new AuditrailError('REQUEST_INVALID', `${flags.out} exists: pass --resume to continue it or --force to overwrite it`);
    }
  }
  const total = await api
    .get<{ count: number }>(`/v1/${flags.kind}/count`, filters)
    .then((r) => r.count)
    .catch(() => 0);
  const showBar = flags.progress && ctx.stderr.isTTY === true;
  const bar = new SingleBar({ format: `exporting ${flags.kind} |{bar}| {value}/{total} {percentage}% | {eta_formatted} left`, hideCursor: true, stream: ctx.stderr }, Presets.shades_classic);
  let rows = 0;
  if (showBar) bar.start(total, 0);
  const res = await api.stream('/v1/export', { ...filters, format, kind: flags.kind, cursor, maxRows: flags.maxRows });
  if (!res.body) throw new AuditrailError('EXPORT_FAILED', 'the server sent no body');
  try {
    await pipeline(
      Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      countingTransform(format, skipHeader, (n) => {
        rows += n;
        if (showBar) bar.update(Math.min(rows, Math.max(total, rows)), { total: Math.max(total, rows) });
      }),
      createWriteStream(flags.out, { flags: append ? 'a' : 'w' }),
    );
  } catch (err) {
    if (showBar) bar.stop();
    throw new AuditrailError('EXPORT_FAILED', `interrupted after ${rows} rows (${errorMessage(err)}); run the same command with --resume to continue`, { cause: err });
  }
  if (showBar) bar.stop();
  const written = format === 'jsonl' ? rows - 1 : rows;
  println(ctx.stdout, `Exported ${written} ${flags.kind} to ${flags.out}${append ? ' (resumed)' : ''}.`);
}
