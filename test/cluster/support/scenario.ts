import { expect } from 'vitest';
import { runCli } from '../../../src/cli/test-support/run-cli.js';
import { checkChains, checkStored } from './check-stored.js';
import { startLoad, type Load } from './sdk-load.js';
import type { ClusterNode, TestCluster } from './test-cluster.js';

export const ORGS = ['org_a', 'org_b', 'org_c', 'org_d', 'org_e', 'org_f'];

/** Two ingest and two writer processes, started together. */
export async function startFourNodes(cluster: TestCluster): Promise<{ ingest: ClusterNode[]; writers: ClusterNode[] }> {
  const [i1, i2, w1, w2] = await Promise.all([cluster.startNode('ingest', 'ingest-1'), cluster.startNode('ingest', 'ingest-2'), cluster.startNode('writer', 'writer-1'), cluster.startNode('writer', 'writer-2')]);
  return { ingest: [i1, i2], writers: [w1, w2] };
}

/** The shards a writer node reports on /readyz. */
export async function writerShards(node: ClusterNode): Promise<number[]> {
  const res = await fetch(`${node.url}/readyz`);
  const body = (await res.json()) as { checks: { shards: { detail: string } } };
  const m = /\[([\d, ]*)\]/.exec(body.checks.shards.detail);
  return m && m[1]!.trim() ? m[1]!.split(',').map((s) => Number(s.trim())) : [];
}

/** Sum of a metric's samples on a node's /metrics whose labels contain `labels` (e.g. 'how="takeover"'). */
export async function metricSum(node: ClusterNode, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function loadOn(cluster: TestCluster): Load {
  return startLoad({ urls: () => cluster.ingestUrls(), keys: cluster.keys, clients: 6, batchSize: 50 });
}

/**
 * After the fault: the load stops, the stream drains, and then every acknowledged event is stored
 * exactly once, every org's chain is whole (seq 1..n, head at n), and `auditrail verify --local`
 * recomputes every org's chain and its signed checkpoints without a finding.
 */
export async function expectNothingLost(cluster: TestCluster, load: Load): Promise<{ acked: number; stored: number; chained: number }> {
  await load.stop();
  await cluster.waitDrained(90_000);
  const stored = await checkStored(cluster, load.acked);
  expect(stored.missing, `${stored.missing.length} acknowledged events missing`).toEqual([]);
  expect(stored.duplicates, `${stored.duplicates.length} events stored twice`).toEqual([]);
  expect(stored.stored).toBeGreaterThanOrEqual(load.acked.size);
  const chains = await checkChains(cluster);
  expect(chains.problems).toEqual([]);
  expect(chains.unchained).toEqual([]);
  expect(chains.chained.length).toBe(ORGS.length);
  const verify = await runCli(['verify', '--local', '--json'], cluster.env);
  expect(verify.code, verify.stderr).toBe(0);
  const reports = JSON.parse(verify.stdout) as { orgId: string; ok: boolean; findings: unknown[] }[];
  expect(reports.filter((r) => ORGS.includes(r.orgId)).map((r) => [r.orgId, r.ok, r.findings.filter((f) => (f as { severity: string }).severity === 'error')])).toEqual(
    [...ORGS].sort().map((o) => [o, true, []]),
  );
  return { acked: load.acked.size, stored: stored.stored, chained: chains.chained.length };
}

export interface StatusJson {
  readonly status: { nodes: { nodeId: string; role: string; shards: number[]; seenAgoMs: number }[]; shards: { shard: number; owner: string | null; pending: number }[] };
  readonly problems: string[];
}

/** `auditrail status --json` against the cluster, as an operator would run it. */
export async function statusJson(cluster: TestCluster): Promise<StatusJson> {
  const r = await runCli(['status', '--json'], { AUDITRAIL_NATS_SERVERS: cluster.nats.url, AUDITRAIL_NATS_SHARDS: cluster.env.AUDITRAIL_NATS_SHARDS!, AUDITRAIL_NATS_LEASE_TTL_MS: cluster.env.AUDITRAIL_NATS_LEASE_TTL_MS! });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as StatusJson;
}
