/**
 * OTLP ingestion cost. Figures, each against a reference measured in the same run:
 * - decode + map of one 504-span OTLP/JSON request (84 agent traces of 6 spans: invoke_agent,
 *   two chats, three tools) into records, vs JSON.parse of the same body alone;
 * - the same for protobuf, vs protobufjs decoding alone;
 * - POST /v1/traces through the whole server (auth, decode, map, validate, queue, memory storage)
 *   vs POST /v1/events with the very records the mapping made, in records per second. Each agent
 *   span looks up the tool calls stored for it by earlier requests (docs/otlp.md): on memory
 *   storage that is a scan of every stored event, so this figure falls as the store grows.
 */
import { pino } from 'pino';
import { parseQuery } from '../../src/core/query.js';
import { MemoryStorage } from '../../src/core/memory-storage.js';
import { MemoryKeyStore } from '../../src/server/auth/memory-key-store.js';
import { loadConfig } from '../../src/server/config/load-config.js';
import { createAuditrailServer } from '../../src/server/create-server.js';
import { decodeTraces } from '../../src/server/otlp/decode-request.js';
import { mapTraces } from '../../src/server/otlp/map-traces.js';
import { decodeProtobuf, encodeProtobuf } from '../../src/server/otlp/otlp-proto.js';
import { tracesRequest } from '../../src/server/otlp/test-support/otlp-json.js';
import { opsAgentTrace } from '../../src/server/otlp/test-support/ops-agent-trace.js';
import { figure, percentiles, type BenchFigure, type BenchSuite } from '../harness.js';

const noStored = () => Promise.resolve([]);

function request(traces: number): Record<string, unknown> {
  return tracesRequest(Array.from({ length: traces }, () => Object.values(opsAgentTrace().spans)).flat());
}

/** OTLP/JSON to the object protobufjs encodes: hex ids as bytes. */
function toProtobufObject(json: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(json), (key, value: unknown) =>
    (key === 'traceId' || key === 'spanId' || key === 'parentSpanId') && typeof value === 'string' ? Buffer.from(value, 'hex') : value,
  ) as Record<string, unknown>;
}

async function medianMs(rounds: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return percentiles(samples, [50])[0]!;
}

async function startServer() {
  const { config } = await loadConfig({ env: { AUDITRAIL_STORAGE_TYPE: 'memory', AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_PORT: '0' } });
  const storage = new MemoryStorage();
  const keyStore = new MemoryKeyStore();
  const server = createAuditrailServer({ config, storage, keyStore, logger: pino({ level: 'silent' }) });
  const token = (await keyStore.create({ orgId: 'bench', scopes: ['ingest', 'read'] })).token;
  return { server, storage, headers: { authorization: `Bearer ${token}` } };
}

export const suite: BenchSuite = {
  name: 'otlp-ingest',
  description: 'OTLP/HTTP ingestion: decode + GenAI mapping per request, and /v1/traces vs /v1/events end to end',
  async run(ctx) {
    const rounds = ctx.quick ? 5 : 30;
    const json = request(84);
    const jsonBody = Buffer.from(JSON.stringify(json));
    const protoBody = Buffer.from(encodeProtobuf('ExportTraceServiceRequest', toProtobufObject(json)));
    const spans = decodeTraces(jsonBody, 'json').items.length;
    ctx.log(`${spans} spans per request; JSON ${jsonBody.length} bytes, protobuf ${protoBody.length} bytes`);

    const mapJson = await medianMs(rounds, () => mapTraces(decodeTraces(jsonBody, 'json').items, { orgId: 'bench', storedToolCalls: noStored }));
    const parseJson = await medianMs(rounds, () => JSON.parse(jsonBody.toString('utf8')));
    const mapProto = await medianMs(rounds, () => mapTraces(decodeTraces(protoBody, 'protobuf').items, { orgId: 'bench', storedToolCalls: noStored }));
    const parseProto = await medianMs(rounds, () => decodeProtobuf('ExportTraceServiceRequest', protoBody));

    // end to end: fresh traces each round (so nothing is a duplicate), same records on both routes
    const { server, storage, headers } = await startServer();
    const bodies = Array.from({ length: rounds + 3 }, () => request(84));
    const records = await Promise.all(bodies.map(async (b) => (await mapTraces(decodeTraces(Buffer.from(JSON.stringify(b)), 'json').items, { orgId: 'bench', storedToolCalls: noStored })).map((m) => m.value)));
    const perRequest = records[0]!.length;
    let i = 0;
    const otlpMs = await medianMs(rounds, async () => {
      const res = await server.app.inject({ method: 'POST', url: '/v1/traces', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(bodies[i++]) });
      if (res.statusCode !== 200) throw new Error(`/v1/traces answered ${res.statusCode}: ${res.body}`);
    });
    // the same records again through /v1/events would be duplicates: give them fresh ids
    let j = 0;
    const eventsMs = await medianMs(rounds, async () => {
      const fresh = records[j++]!.map((r) => ('eventId' in r ? { ...r, eventId: crypto.randomUUID() } : { ...r, interactionId: crypto.randomUUID() }));
      const res = await server.app.inject({ method: 'POST', url: '/v1/events', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(fresh) });
      if (res.statusCode !== 200) throw new Error(`/v1/events answered ${res.statusCode}: ${res.body}`);
    });
    ctx.log(`stored ${await storage.countInteractions(parseQuery({}))} interactions`);
    await server.close();

    const perSecond = (n: number, ms: number) => (n * 1000) / ms;
    const figures: BenchFigure[] = [
      figure({ name: 'otlp.map_json.spans_per_s', value: perSecond(spans, mapJson), unit: 'spans/s', reference: 'JSON.parse of the same body (spans/s)', referenceValue: perSecond(spans, parseJson), note: 'decode + GenAI mapping of a 504-span request, one core' }),
      figure({ name: 'otlp.map_protobuf.spans_per_s', value: perSecond(spans, mapProto), unit: 'spans/s', reference: 'protobufjs decode of the same body alone (spans/s)', referenceValue: perSecond(spans, parseProto) }),
      figure({ name: 'otlp.http_traces.records_per_s', value: perSecond(perRequest, otlpMs), unit: 'records/s', reference: 'POST /v1/events with the same records (records/s)', referenceValue: perSecond(perRequest, eventsMs), note: `${perRequest} records per request; inject(), memory storage; includes one stored-tool-call lookup per agent span (84 per request), a linear scan on memory storage, an indexed query on PostgreSQL` }),
    ];
    return figures;
  },
};
