import { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AuditrailError } from '../../core/errors.js';
import { isChainStore } from '../../integrity/chain-store.js';
import type { VerifyReport } from '../../integrity/verify/chain-verifier.js';
import { CONFIG_FILE_ENV } from '../../server/config/env-vars.js';
import { integrityPaths } from '../../server/integrity-files.js';
import { createPublicKeyring } from '../../integrity/keyring.js';
import { println, type CliContext } from '../cli-context.js';
import { addConnectionOptions, connect, type ConnectionFlags } from '../connection-options.js';
import { withLocalBackends } from '../local-backends.js';

interface VerifyFlags extends ConnectionFlags {
  readonly local?: boolean;
  readonly config?: string;
  readonly org?: string;
  readonly json?: boolean;
  readonly progress: boolean;
  readonly publicKey?: string[];
}

type Progress = (done: number, total: number | undefined) => void;

export function verifyCommand(ctx: CliContext): Command {
  const cmd = new Command('verify')
    .summary("recompute an org's hash chain and check it against the signed checkpoints")
    .description(
      "Recompute the integrity chain of your org's records and check it against the signed checkpoints in the\n" +
        'database and in the external checkpoint log, and against the chain head. Reports every changed,\n' +
        'deleted, inserted or reordered record, a truncated tail, a database restored to an older state, and\n' +
        'bad checkpoints (docs/integrity.md). Exits 7 when anything is found.\n' +
        'By default it asks the running server (GET /v1/verify, the org of your key). With --local it opens the\n' +
        'configured database itself (PostgreSQL; PGlite only while the server is stopped) and verifies every org,\n' +
        'or the one given with --org.',
    )
    .option('--local', 'open the configured database instead of asking the server')
    .option('-c, --config <file>', `with --local: the configuration naming the database (env ${CONFIG_FILE_ENV}, DATABASE_URL)`)
    .option('--org <id>', 'with --local: verify only this org')
    .option('--public-key <key...>', "with --local: the trusted checkpoint keys (64 hex digits or SPKI PEM; GET /v1/checkpoints lists them); default: the configuration's signing key file")
    .option('--json', 'print the full report(s) as JSON')
    .option('--no-progress', 'no progress bar');
  addConnectionOptions(cmd);
  return cmd
    .addHelpText('after', '\nExamples:\n  $ auditrail verify\n  $ DATABASE_URL=postgres://… auditrail verify --local --org acme --json')
    .action(async (flags: VerifyFlags) => {
      const reports = flags.local ? await verifyLocal(flags, ctx) : [await verifyRemote(flags, ctx)];
      // one org asked for (the server's, or --org): its report; every org (--local): a list
      if (flags.json) println(ctx.stdout, JSON.stringify(flags.local && !flags.org ? reports : reports[0], null, 2));
      else for (const r of reports) printReport(r, ctx);
      const failed = reports.filter((r) => !r.ok).map((r) => r.orgId);
      if (failed.length > 0) throw new AuditrailError('VERIFY_FAILED', `org ${failed.join(', ')}`);
    });
}

async function verifyRemote(flags: VerifyFlags, ctx: CliContext): Promise<VerifyReport> {
  const api = connect(flags, ctx);
  const res = await api.stream('/v1/verify', { progress: true });
  if (!res.body) throw new AuditrailError('SERVER_UNREACHABLE', `${api.url}: the answer to /v1/verify had no body`);
  const progress = progressBar(flags, ctx, 'server');
  let result: VerifyReport | undefined;
  try {
    for await (const line of createInterface({ input: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      const msg = JSON.parse(line) as { type: string; done?: number; total?: number | null; code?: string; message?: string };
      if (msg.type === 'progress') progress.update(msg.done ?? 0, msg.total ?? undefined);
      else if (msg.type === 'error') throw new AuditrailError('STORAGE_UNAVAILABLE', `the server could not finish verify: ${msg.code ?? ''} ${msg.message ?? ''}`.trim());
      else if (msg.type === 'result') {
        const { type: _type, ...report } = msg as unknown as VerifyReport & { type: string };
        result = report;
      }
    }
  } finally {
    progress.stop();
  }
  if (!result) throw new AuditrailError('SERVER_UNREACHABLE', `${api.url}: verify ended without a result (the connection was cut)`);
  return result;
}

async function verifyLocal(flags: VerifyFlags, ctx: CliContext): Promise<VerifyReport[]> {
  return withLocalBackends(flags.config, ctx, async ({ storage }, config) => {
    if (!isChainStore(storage)) throw new AuditrailError('INTEGRITY_UNAVAILABLE', `storage.type ${config.storage.type} keeps no integrity chain`);
    const given = flags.publicKey ?? [];
    if (given.length === 0 && storage.publicKeys().length === 0) {
      throw new AuditrailError('SIGNING_KEY_INVALID', `no checkpoint key to trust: ${integrityPaths(config).signingKeyFile} does not exist here; pass the keys with --public-key (GET /v1/checkpoints lists them)`);
    }
    const publicKeys = given.length > 0 ? createPublicKeyring(given) : undefined;
    const orgs = flags.org ? [flags.org] : await storage.chainOrgs();
    const reports: VerifyReport[] = [];
    for (const org of orgs) {
      const progress = progressBar(flags, ctx, org);
      try {
        reports.push(await storage.verifyChain(org, { ...(publicKeys ? { publicKeys } : {}), onProgress: (done, total) => progress.update(done, total) }));
      } finally {
        progress.stop();
      }
    }
    return reports;
  });
}

function progressBar(flags: VerifyFlags, ctx: CliContext, label: string): { update: Progress; stop(): void } {
  if (!flags.progress || ctx.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `verifying ${label} |{bar}| {value}/{total} records | {eta_formatted} left`, hideCursor: true, stream: ctx.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total ?? done, 0);
      started = true;
      if (total !== undefined) bar.setTotal(total);
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

function printReport(r: VerifyReport, ctx: CliContext): void {
  const records = r.records.checked === 0 ? 'no records' : `${r.records.checked} records (seq ${r.records.firstSeq ?? '?'}..${r.records.lastSeq})`;
  const c = r.checkpoints;
  const summary = `${records}, ${c.verified}/${c.total} checkpoints verified, ${r.uncheckpointed} records after the last checkpoint`;
  println(ctx.stdout, `org ${r.orgId}: ${r.ok ? 'OK' : 'FAILED'} — ${summary}`);
  for (const f of r.findings) println(ctx.stdout, `  [${f.severity}] ${f.kind}: ${f.message}`);
  if (r.findingsNotListed > 0) println(ctx.stdout, `  … and ${r.findingsNotListed} more findings (--json lists up to 1000)`);
}
