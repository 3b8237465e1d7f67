import { afterAll, describe, expect, it } from 'vitest';
import { expectNothingLost, loadOn, metricSum, ORGS, startFourNodes, until, writerShards } from './support/scenario.js';
import { startTestCluster, type TestCluster } from './support/test-cluster.js';

let cluster: TestCluster | undefined;
afterAll(async () => {
  await cluster?.close();
});

describe('cluster: nats-server killed with SIGKILL and restarted in the middle of the load', () => {
  it('loses no acknowledged event (the stream is on disk), and every node reconnects and carries on', async () => {
    cluster = await startTestCluster(ORGS);
    const { ingest, writers } = await startFourNodes(cluster);
    await until(async () => (await writerShards(writers[0]!)).length > 0 && (await writerShards(writers[1]!)).length > 0, 30_000, 'both writers to hold shards');

    const load = loadOn(cluster);
    await until(() => load.acked.size >= 3_000, 60_000, '3000 acknowledged events');
    // down longer than publish_timeout_ms (3 s): some requests are answered 503 and sent again
    await cluster.nats.restart({ signal: 'SIGKILL', downMs: 4_000 });
    const atRestart = load.acked.size;
    await until(() => load.acked.size >= atRestart + 3_000, 90_000, '3000 more acknowledged events after the restart');

    const result = await expectNothingLost(cluster, load);
    expect(result.acked).toBeGreaterThanOrEqual(6_000);
    expect(load.failovers()).toBeGreaterThan(0);
    for (const node of [...ingest, ...writers]) expect(await metricSum(node, 'auditrail_cluster_nats_connected')).toBe(1);
    await until(async () => (await writerShards(writers[0]!)).length + (await writerShards(writers[1]!)).length === 4, 30_000, 'all 4 shards held again');
  }, 240_000);
});
