import { Command } from 'commander';
import { CONFIG_FILE_ENV } from '../../server/config/env-vars.js';
import { loadConfig } from '../../server/index.js';
import type { ClusterInspection } from '../../server/queue/nats/inspect-cluster.js';
import { inspectCluster } from '../../server/queue/nats/inspect-cluster.js';
import { natsOptionsFromConfig } from '../../server/roles/nats-options-from-config.js';
import { println, type CliContext } from '../cli-context.js';
import { EMBEDDED_STORAGE } from '../embedded-storage.js';
import { renderTable } from '../output/table.js';

interface StatusFlags {
  readonly config?: string;
  readonly nats?: string;
  readonly json?: boolean;
}

export function statusCommand(ctx: CliContext): Command {
  return new Command('status')
    .summary('show the cluster: nodes, shards, owners, lag')
    .description(
      'Show the NATS JetStream cluster of auditrail (queue.type: nats): the stream backlog, every node with\n' +
        'its role and shards, and per shard its writer, lag (records not yet delivered), records being written\n' +
        'and redeliveries. It reads NATS directly, so it works while writers are down. See docs/deployment.md.',
    )
    .option('-c, --config <file>', `configuration naming the NATS servers and stream (env ${CONFIG_FILE_ENV}, AUDITRAIL_NATS_*)`)
    .option('--nats <servers>', 'NATS server URLs, comma-separated (env AUDITRAIL_NATS_SERVERS)')
    .option('--json', 'print the state as JSON')
    .addHelpText('after', '\nExamples:\n  $ auditrail status\n  $ auditrail status --nats nats://10.0.0.5:4222 --json')
    .action(async (flags: StatusFlags) => {
      const file = flags.config ?? ctx.env[CONFIG_FILE_ENV];
      const env = { ...ctx.env, ...(flags.nats ? { AUDITRAIL_NATS_SERVERS: flags.nats } : {}) };
      const { config } = await loadConfig({ ...(file ? { file } : {}), env, embeddedStorage: EMBEDDED_STORAGE });
      const inspection = await inspectCluster(natsOptionsFromConfig(config));
      const problems = findProblems(inspection, config.queue.nats.lease_ttl_ms);
      if (flags.json) println(ctx.stdout, JSON.stringify({ ...inspection, problems }, null, 2));
      else printStatus(inspection, problems, ctx);
    });
}

function findProblems(i: ClusterInspection, leaseTtlMs: number): string[] {
  const problems: string[] = [];
  if (!i.status.nodes.some((n) => n.role !== 'ingest')) problems.push('no writer node is running: records wait in the stream (start `auditrail serve --role writer`)');
  for (const s of i.status.shards) {
    if (s.error) problems.push(`shard ${s.shard}: consumer ${s.consumer} unreadable: ${s.error}`);
    else if (!s.owner) problems.push(`shard ${s.shard} has no writer: ${s.pending} records wait`);
    else if ((s.leaseAgeMs ?? 0) > leaseTtlMs) problems.push(`shard ${s.shard}: lease of ${s.owner} not renewed for ${seconds(s.leaseAgeMs!)}: its writer is gone or stalled; another takes over`);
  }
  return problems;
}

function printStatus(i: ClusterInspection, problems: readonly string[], ctx: CliContext): void {
  const width = ctx.stdout.columns ?? 120;
  const { stream, nodes, shards } = i.status;
  println(ctx.stdout, `cluster: stream ${stream.name} on ${i.servers.join(', ')} (nats-server ${i.serverVersion})`);
  println(ctx.stdout, `  backlog: ${stream.backlog} records not yet written; stream: ${stream.messages} messages (${bytes(stream.bytes)}) of at most ${stream.maxMessages}; ${shards.length} shards; ${stream.replicas} replica(s)`);
  println(ctx.stdout, `  durability: ${i.durability}`);
  println(ctx.stdout);
  println(ctx.stdout, `nodes (${nodes.length}):`);
  println(
    ctx.stdout,
    renderTable(
      [
        { header: 'ROLE', value: (n: (typeof nodes)[number]) => n.role },
        { header: 'NODE', value: (n) => n.nodeId },
        { header: 'URL', value: (n) => n.url ?? null },
        { header: 'SHARDS', value: (n) => (n.role === 'ingest' ? null : n.shards.join(',') || 'none') },
        { header: 'SEEN', value: (n) => `${seconds(n.seenAgoMs)} ago` },
      ],
      nodes,
      width,
    ),
  );
  println(ctx.stdout);
  println(ctx.stdout, `shards (${shards.length}):`);
  println(
    ctx.stdout,
    renderTable(
      [
        { header: 'SHARD', value: (s: (typeof shards)[number]) => s.shard },
        { header: 'OWNER', value: (s) => s.owner },
        { header: 'LAG', value: (s) => s.pending },
        { header: 'WRITING', value: (s) => s.ackPending },
        { header: 'REDELIVERED', value: (s) => s.redelivered },
        { header: 'LEASE AGE', value: (s) => (s.leaseAgeMs === null ? null : seconds(s.leaseAgeMs)) },
        { header: 'ACKED UP TO', value: (s) => s.ackFloorSeq },
      ],
      shards,
      width,
    ),
  );
  if (problems.length > 0) {
    println(ctx.stdout);
    println(ctx.stdout, 'problems:');
    for (const p of problems) println(ctx.stdout, `  - ${p}`);
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
