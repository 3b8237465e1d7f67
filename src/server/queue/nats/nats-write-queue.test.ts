import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAuditrailError } from '../../../core/errors.js';
import { parseQuery } from '../../../core/query.js';
import { recordId } from '../../../core/record.js';
import { GatedStorage } from '../../test-support/gated-storage.js';
import { parsedEvents } from '../../test-support/sample-records.js';
import { consumerOf, subjectOf } from './nats-options.js';
import { shardOf } from './shard-of.js';
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

const count = (storage: GatedStorage, orgId = 'org_a') => storage.countEvents(parseQuery({ orgId, limit: 1 }));

describe('NATS JetStream write queue', () => {
  it('answers once JetStream acknowledged every record, which stay in the stream until a writer committed them', async () => {
    fixture = clusterFixture(nats.url);
    const queue = await fixture.ingest();
    const records = parsedEvents(50);
    const result = await queue.submit('org_a', records);
    expect(result.results.map((r) => r.status)).toEqual(records.map(() => 'accepted'));
    expect(result.results.map((r) => r.id)).toEqual(records.map(recordId));
    const shard = shardOf('org_a', fixture.options.shards);
    const probe = await fixture.ingest();
    await waitFor(() => probe.stats().pendingRecords === 50, 5_000, 'the stream to report 50 pending records');

    const storage = new GatedStorage();
    const { cluster } = await fixture.writer(storage);
    await waitFor(async () => (await count(storage)) === 50, 15_000, 'the writer to store 50 records');
    await waitFor(async () => (await cluster.jsm.streams.info(fixture.options.stream)).state.messages === 0, 5_000, 'the stream to empty');
    const consumer = await cluster.jsm.consumers.info(fixture.options.stream, consumerOf(fixture.options, shard));
    expect(consumer.num_ack_pending).toBe(0);
    expect(consumer.config.filter_subject).toBe(subjectOf(fixture.options, shard));
  });

  it('answers a record sent again within the duplicate window as a duplicate, and stores it once', async () => {
    fixture = clusterFixture(nats.url);
    const queue = await fixture.ingest();
    const records = parsedEvents(5);
    await queue.submit('org_a', records);
    const again = await queue.submit('org_a', [records[0]!, records[1]!, ...parsedEvents(1)]);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted']);
    const storage = new GatedStorage();
    await fixture.writer(storage);
    await waitFor(async () => (await count(storage)) === 6, 15_000, '6 stored records');
    expect(storage.appends.flat().length).toBe(6);
  });

  it('stores a record once when it comes back after the duplicate window (the database deduplicates)', async () => {
    fixture = clusterFixture(nats.url, { duplicateWindowMs: 1_000 });
    const queue = await fixture.ingest();
    const storage = new GatedStorage();
    await fixture.writer(storage);
    const records = parsedEvents(3);
    await queue.submit('org_a', records);
    await waitFor(async () => (await count(storage)) === 3, 15_000, '3 stored records');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await queue.submit('org_a', records)).accepted).toBe(3);
    await waitFor(() => storage.appends.flat().length === 6, 15_000, 'the resent records to reach storage');
    expect(await count(storage)).toBe(3);
  });

  it('writes the records of an org in the order they were acknowledged', async () => {
    fixture = clusterFixture(nats.url, { shards: 2 });
    const queue = await fixture.ingest();
    const storage = new GatedStorage();
    await fixture.writer(storage);
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const batch = parsedEvents(7, { orgId: 'org_ordered' });
      await queue.submit('org_ordered', batch);
      sent.push(...batch.map(recordId));
    }
    await waitFor(async () => (await count(storage, 'org_ordered')) === 140, 15_000, '140 stored records');
    expect(storage.appends.flat().map(recordId)).toEqual(sent);
  });

  it('keeps a batch the storage refuses unacknowledged and retries it until it commits', async () => {
    fixture = clusterFixture(nats.url);
    const queue = await fixture.ingest();
    const storage = new GatedStorage();
    storage.failNext = 2;
    await queue.submit('org_a', parsedEvents(10));
    await fixture.writer(storage);
    await waitFor(async () => (await count(storage)) === 10, 20_000, 'the batch to commit after two failures');
    expect(storage.appends.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses with QUEUE_FULL when the stream is full (writers down), drops no acknowledged record, and accepts again once drained', async () => {
    fixture = clusterFixture(nats.url, { maxMessages: 1_000 });
    const queue = await fixture.ingest();
    const batch = () => parsedEvents(100, { actionParams: { blob: 'x'.repeat(2_000) } });
    const acknowledged: string[] = [];
    let refused: unknown;
    for (let i = 0; i < 20 && !refused; i++) {
      const records = batch();
      await queue.submit('org_a', records).then(
        () => acknowledged.push(...records.map(recordId)),
        (err: unknown) => (refused = err),
      );
    }
    expect(isAuditrailError(refused, 'QUEUE_FULL')).toBe(true);
    const storage = new GatedStorage();
    const { cluster } = await fixture.writer(storage);
    await waitFor(async () => (await cluster.jsm.streams.info(fixture.options.stream)).state.messages === 0, 20_000, 'the stream to drain');
    for (const id of acknowledged) expect(await storage.getEvent(id), id).toBeDefined();
    await expect(queue.submit('org_a', batch())).resolves.toMatchObject({ accepted: 100 });
  });

  it('refuses a record larger than the NATS max_payload with RECORD_TOO_LARGE, publishing nothing of the request', async () => {
    fixture = clusterFixture(nats.url);
    const queue = await fixture.ingest();
    const records = [...parsedEvents(2), ...parsedEvents(1, { actionParams: { blob: 'x'.repeat(1_100_000) } })];
    await expect(queue.submit('org_a', records)).rejects.toSatisfy((e) => isAuditrailError(e, 'RECORD_TOO_LARGE'));
    const storage = new GatedStorage();
    const { cluster } = await fixture.writer(storage);
    expect((await cluster.jsm.streams.info(fixture.options.stream)).state.last_seq).toBe(0);
  });

  it('answers QUEUE_UNAVAILABLE when JetStream does not acknowledge within publish_timeout_ms, and works again after NATS returns', async () => {
    fixture = clusterFixture(nats.url, { publishTimeoutMs: 500 });
    const queue = await fixture.ingest();
    await nats.kill();
    try {
      await expect(queue.submit('org_a', parsedEvents(3))).rejects.toSatisfy((e) => isAuditrailError(e, 'QUEUE_UNAVAILABLE'));
    } finally {
      await nats.start();
    }
    await waitFor(async () => (await queue.submit('org_a', parsedEvents(1)).then(() => true, () => false)), 15_000, 'publishing to work again');
    expect(queue.isFull(1)).toBe(false);
  });

  it('refuses a request beyond max_in_flight_records at once instead of buffering it', async () => {
    fixture = clusterFixture(nats.url, { maxInFlightRecords: 10 });
    const queue = await fixture.ingest();
    const first = queue.submit('org_a', parsedEvents(8));
    await expect(queue.submit('org_a', parsedEvents(5))).rejects.toSatisfy((e) => isAuditrailError(e, 'QUEUE_FULL'));
    await expect(queue.submit('org_a', parsedEvents(5), { bypassCapacity: true })).resolves.toMatchObject({ accepted: 5 });
    await first;
  });
});
