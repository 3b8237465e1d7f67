import { connect } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../../core/query.js';
import { recordId } from '../../../core/record.js';
import { GatedStorage } from '../../test-support/gated-storage.js';
import { parsedEvents } from '../../test-support/sample-records.js';
import { readClusterStatus } from './cluster-status.js';
import { LeaseKeeper } from './lease-keeper.js';
import { openClusterBucket } from './nats-setup.js';
import { clusterFixture, waitFor, type ClusterFixture } from './test-support/cluster-fixture.js';
import { startNatsTestServer, type NatsTestServer } from './test-support/nats-test-server.js';

let nats: NatsTestServer;
let fixture: ClusterFixture;

beforeAll(async () => {
  nats = await startNatsTestServer();
});
afterAll(async () => {
  await nats.stop();
});
afterEach(async () => {
  await fixture.close();
});

const count = (storage: GatedStorage, orgId: string) => storage.countEvents(parseQuery({ orgId, limit: 1 }));

describe('writer group', () => {
  it('gives two writers half of the shards each, and every shard to the one left when the other leaves', async () => {
    fixture = clusterFixture(nats.url, { shards: 4 });
    const storage = new GatedStorage();
    const a = await fixture.writer(storage);
    const b = await fixture.writer(storage);
    await waitFor(() => a.group.ownedShards().length === 2 && b.group.ownedShards().length === 2, 15_000, 'a 2/2 split');
    expect([...a.group.ownedShards(), ...b.group.ownedShards()].sort()).toEqual([0, 1, 2, 3]);
    const status = await readClusterStatus(a.cluster.jsm, a.cluster.kv, fixture.options);
    expect(status.shards.map((s) => s.owner).sort()).toEqual([a.cluster.nodeId, a.cluster.nodeId, b.cluster.nodeId, b.cluster.nodeId].sort());
    expect(status.nodes.map((n) => n.nodeId).sort()).toEqual([a.cluster.nodeId, b.cluster.nodeId].sort());

    const queue = await fixture.ingest();
    const orgs = ['org_a', 'org_b', 'org_c', 'org_d', 'org_e'];
    const sent = new Map<string, string[]>(orgs.map((o) => [o, []]));
    const sending = (async () => {
      for (let i = 0; i < 20; i++)
        for (const org of orgs) {
          const records = parsedEvents(5, { orgId: org });
          await queue.submit(org, records);
          sent.get(org)!.push(...records.map(recordId));
        }
    })();
    await a.group.close();
    await a.cluster.close();
    await sending;
    await waitFor(() => b.group.ownedShards().length === 4, 15_000, 'the survivor to own every shard');
    for (const org of orgs) await waitFor(async () => (await count(storage, org)) === 100, 15_000, `100 records of ${org}`);
    expect(storage.appends.flat().length).toBe(500);
    // the hand-over kept each org's order: what the leaving writer held went back first
    for (const org of orgs) expect(storage.appends.flat().filter((r) => r.orgId === org).map(recordId)).toEqual(sent.get(org));
  });

  it('takes the shard of a writer that went silent over after the lease TTL, writing what it left unacknowledged before newer records', async () => {
    fixture = clusterFixture(nats.url, { shards: 1, leaseTtlMs: 1_000, ackWaitMs: 2_000 });
    const queue = await fixture.ingest();
    const stuck = new GatedStorage(false);
    const dead = await fixture.writer(stuck);
    const first = parsedEvents(20, { orgId: 'org_x' });
    await queue.submit('org_x', first);
    await waitFor(() => dead.group.busyShards() === 1, 10_000, 'the first writer to hold the batch');
    // the process "dies": its connection goes without giving its lease back or naking its batch
    await dead.cluster.nc.close();

    const storage = new GatedStorage();
    const heir = await fixture.writer(storage);
    const second = parsedEvents(20, { orgId: 'org_x' });
    await queue.submit('org_x', second);
    await waitFor(async () => (await count(storage, 'org_x')) === 40, 20_000, 'the heir to write all 40 records');
    expect(heir.group.ownedShards()).toEqual([0]);
    expect(storage.appends.flat().map(recordId)).toEqual([...first, ...second].map(recordId));
    stuck.release();
  });

  it('lets only one of two nodes take a free lease, and a held one only after it stayed unchanged for the TTL', async () => {
    fixture = clusterFixture(nats.url, { shards: 1 });
    const nc = await connect({ servers: nats.url });
    const kv = await openClusterBucket(nc, fixture.options);
    const one = new LeaseKeeper(kv, 'one', 1_000);
    const two = new LeaseKeeper(kv, 'two', 1_000);
    const shard = 7;
    expect(one.observe(shard, undefined).claimable).toBe('free');
    expect(two.observe(shard, undefined).claimable).toBe('free');
    const wins = await Promise.all([one.claim(shard, 'free'), two.claim(shard, 'free')]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = wins[0] ? [one, two] : [two, one];
    expect(winner.valid(shard)).toBe(true);

    const entry = async () => (await kv.get(`lease.${shard}`)) ?? undefined;
    expect(loser.observe(shard, await entry()).claimable).toBeUndefined();
    await new Promise((r) => setTimeout(r, 600));
    expect(await winner.renewAll()).toEqual([]);
    expect(loser.observe(shard, await entry()).claimable).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1_100));
    expect(winner.valid(shard)).toBe(false);
    expect(loser.observe(shard, await entry()).claimable).toBe('takeover');
    expect(await loser.claim(shard, 'takeover')).toBe(true);
    expect(await winner.renewAll()).toEqual([shard]);
    expect(winner.holds(shard)).toBe(false);
    await nc.close();
  });
});
