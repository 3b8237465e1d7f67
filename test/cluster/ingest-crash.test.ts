import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/test-support/run-cli.js';
import { expectNothingLost, loadOn, ORGS, startFourNodes, until, writerShards } from './support/scenario.js';
import { startTestCluster, type TestCluster } from './support/test-cluster.js';

let cluster: TestCluster | undefined;
afterAll(async () => {
  await cluster?.close();
});

describe('cluster: an ingest node killed with SIGKILL in the middle of the load', () => {
  it('loses no event it acknowledged, and clients carry on through the other ingest node', async () => {
    cluster = await startTestCluster(ORGS);
    const { ingest, writers } = await startFourNodes(cluster);
    await until(async () => (await writerShards(writers[0]!)).length > 0 && (await writerShards(writers[1]!)).length > 0, 30_000, 'both writers to hold shards');

    const load = loadOn(cluster);
    await until(() => load.acked.size >= 3_000, 60_000, '3000 acknowledged events');
    await ingest[0]!.kill('SIGKILL');
    const atKill = load.acked.size;
    await until(() => load.acked.size >= atKill + 3_000, 60_000, '3000 more acknowledged events after the kill');

    const result = await expectNothingLost(cluster, load);
    expect(result.acked).toBeGreaterThanOrEqual(6_000);
    expect(cluster.ingestUrls()).toEqual([ingest[1]!.url]);
    // what an operator sees: both writers, the live ingest node, every shard owned, no problem
    const status = await runCli(['status'], { AUDITRAIL_NATS_SERVERS: cluster.nats.url, AUDITRAIL_NATS_SHARDS: '4' });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/backlog: 0 records not yet written/);
    expect(status.stdout).toMatch(/shards \(4\):/);
    expect(status.stdout).toContain(ingest[1]!.url);
    expect(status.stdout).not.toContain('problems:');
  }, 240_000);
});
