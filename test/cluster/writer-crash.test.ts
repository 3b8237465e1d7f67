import { afterAll, describe, expect, it } from 'vitest';
import { expectNothingLost, loadOn, metricSum, ORGS, startFourNodes, statusJson, until, writerShards } from './support/scenario.js';
import { startTestCluster, type TestCluster } from './support/test-cluster.js';

let cluster: TestCluster | undefined;
afterAll(async () => {
  await cluster?.close();
});

describe('cluster: a writer killed with SIGKILL in the middle of the load', () => {
  it('loses no acknowledged event, stores none twice, and the other writer takes its shards over', async () => {
    cluster = await startTestCluster(ORGS);
    const { writers } = await startFourNodes(cluster);
    const [victim, survivor] = writers as [(typeof writers)[0], (typeof writers)[0]];
    await until(async () => (await writerShards(victim)).length > 0 && (await writerShards(survivor)).length > 0, 30_000, 'both writers to hold shards');

    const load = loadOn(cluster);
    await until(() => load.acked.size >= 3_000, 60_000, '3000 acknowledged events');
    const victimShards = await writerShards(victim);
    await victim.kill('SIGKILL');
    const atKill = load.acked.size;
    await until(() => load.acked.size >= atKill + 3_000, 60_000, '3000 more acknowledged events after the kill');
    await until(async () => (await writerShards(survivor)).length === 4, 30_000, 'the survivor to take every shard');

    const result = await expectNothingLost(cluster, load);
    expect(result.acked).toBeGreaterThanOrEqual(6_000);
    const status = await statusJson(cluster);
    const survivorId = status.status.nodes.find((n) => n.role === 'writer' && n.shards.length === 4)?.nodeId;
    expect(survivorId).toBeDefined();
    expect(status.status.shards.map((s) => s.owner)).toEqual([survivorId, survivorId, survivorId, survivorId]);
    expect(status.status.shards.map((s) => s.pending)).toEqual([0, 0, 0, 0]);
    expect(victimShards.length).toBeGreaterThan(0);
    // the survivor took the shards of a silent lease (not one given back), and got the victim's
    // unacknowledged batch redelivered
    expect(await metricSum(survivor, 'auditrail_cluster_lease_acquired_total', 'how="takeover"')).toBeGreaterThanOrEqual(victimShards.length);
    expect(await metricSum(survivor, 'auditrail_cluster_written_records_total')).toBeGreaterThan(0);
  }, 240_000);
});
