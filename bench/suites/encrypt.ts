import { uuidv7 } from '../../src/core/ids.js';
import type { AuditRecord } from '../../src/core/record.js';
import {
  createDataKey,
  createFieldEncryption,
  createMasterKey,
  createMemoryKeyStore,
  createOrgKeys,
  decryptRecord,
  encryptRecord,
  selectFields,
} from '../../src/encryption/index.js';
import { realisticInteractions } from '../../src/redaction/test-support/realistic-interactions.js';
import { figure, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';

interface Rate {
  perWallS: number;
  perCpuS: number;
}

/** Runs fn over the items for about durationMs of wall time; records/s on the wall clock and per CPU-second. */
function rate<T>(items: readonly T[], durationMs: number, fn: (x: T) => unknown): Rate {
  let sink = 0;
  let done = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (const x of items) if (fn(x) !== undefined) sink++;
    done += items.length;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpu0);
  if (sink < 0) console.log(sink);
  return { perWallS: (done / elapsed) * 1000, perCpuS: done / ((cpu.user + cpu.system) / 1e6) };
}

async function asyncRate(batches: readonly AuditRecord[][], durationMs: number, fn: (b: AuditRecord[]) => Promise<unknown>): Promise<number> {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (const b of batches) {
      await fn(b);
      done += b.length;
    }
  }
  return (done / (performance.now() - start)) * 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const suite: BenchSuite = {
  name: 'encrypt',
  description: 'field encryption at rest: encrypt and decrypt throughput of realistic ~2 KB interactions (default fields: question, answer, thoughts, tool inputs/outputs), one core; reference: JSON.stringify of the same records in the same run',
  async run(ctx: BenchContext): Promise<BenchFigure[]> {
    const orgId = 'org_bench';
    const items: AuditRecord[] = realisticInteractions(ctx.quick ? 200 : 2000).map((i) => ({ ...i, orgId, interactionId: uuidv7() }));
    const keys = createOrgKeys(orgId, [createDataKey(orgId, 1, Buffer.alloc(32, 1))]);
    const fields = selectFields();
    const encrypted = items.map((r) => encryptRecord(r, keys, { fields }));
    const plainBytes = items.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
    const storedBytes = encrypted.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
    const fieldsPerRecord = encrypted.reduce((n, r) => n + (JSON.stringify(r).match(/enc:v1:/g)?.length ?? 0), 0) / items.length;
    ctx.log(`${items.length} interactions, ${Math.round(plainBytes / items.length)} JSON bytes each, ${fieldsPerRecord.toFixed(1)} encrypted fields each; stored JSON ${(storedBytes / plainBytes).toFixed(2)}x the plain size`);

    const durationMs = ctx.quick ? 300 : 2500;
    const json = (r: AuditRecord) => JSON.stringify(r);
    const enc = (r: AuditRecord) => encryptRecord(r, keys, { fields });
    const dec = (r: AuditRecord) => decryptRecord(r, keys);
    // warm every path, then alternate rounds so that machine noise hits all of them alike
    rate(items, durationMs / 4, enc);
    rate(encrypted, durationMs / 4, dec);
    rate(items, durationMs / 4, json);
    const rounds: Record<'enc' | 'dec' | 'json', Rate[]> = { enc: [], dec: [], json: [] };
    for (let round = 0; round < 3; round++) {
      rounds.enc.push(rate(items, durationMs, enc));
      rounds.dec.push(rate(encrypted, durationMs, dec));
      rounds.json.push(rate(items, durationMs, json));
    }
    const wall = (k: keyof typeof rounds) => median(rounds[k].map((r) => r.perWallS));
    const cpu = (k: keyof typeof rounds) => median(rounds[k].map((r) => r.perCpuS));
    for (const k of ['enc', 'dec', 'json'] as const) ctx.log(`${k} rounds ${rounds[k].map((r) => Math.round(r.perWallS)).join(', ')} /s (${rounds[k].map((r) => Math.round(r.perCpuS)).join(', ')} per CPU-s)`);

    // the service as the server uses it: batches of 100, keys from a key store (cached after the first batch)
    const service = createFieldEncryption({ masterKey: createMasterKey(Buffer.alloc(32, 2)), keyStore: createMemoryKeyStore() });
    const batches: AuditRecord[][] = [];
    for (let i = 0; i < items.length; i += 100) batches.push(items.slice(i, i + 100));
    const storedBatches = await Promise.all(batches.map((b) => service.encryptRecords(b)));
    const serviceEnc = await asyncRate(batches, durationMs, (b) => service.encryptRecords(b));
    const serviceDec = await asyncRate(storedBatches, durationMs, (b) => service.decryptRecords(b));
    ctx.log(`service: encryptRecords ${Math.round(serviceEnc)}/s, decryptRecords ${Math.round(serviceDec)}/s (batches of 100)`);

    const note = 'one core, wall clock on a shared machine; ~2 KB interactions, ~10 fields each';
    return [
      figure({ name: 'encrypt.records_per_s', value: wall('enc'), unit: 'records/s', reference: 'JSON.stringify of the same records', referenceValue: wall('json'), note }),
      figure({ name: 'encrypt.decrypt_records_per_s', value: wall('dec'), unit: 'records/s', reference: 'JSON.stringify of the same records', referenceValue: wall('json'), note }),
      figure({ name: 'encrypt.records_per_cpu_s', value: cpu('enc'), unit: 'records/CPU-s', reference: 'JSON.stringify of the same records', referenceValue: cpu('json'), note: 'counted against this process\'s CPU time' }),
      figure({ name: 'encrypt.decrypt_records_per_cpu_s', value: cpu('dec'), unit: 'records/CPU-s', reference: 'JSON.stringify of the same records', referenceValue: cpu('json'), note: 'counted against this process\'s CPU time' }),
      figure({ name: 'encrypt.service_records_per_s', value: serviceEnc, unit: 'records/s', reference: 'pure encryptRecord, same records', referenceValue: wall('enc'), note: 'createFieldEncryption().encryptRecords, batches of 100, cached keys' }),
      figure({ name: 'encrypt.service_decrypt_records_per_s', value: serviceDec, unit: 'records/s', reference: 'pure decryptRecord, same records', referenceValue: wall('dec'), note: 'decryptRecords, batches of 100, cached keys' }),
      figure({ name: 'encrypt.stored_json_bytes_ratio', value: storedBytes / items.length, unit: 'bytes/record', reference: 'plain JSON bytes per record', referenceValue: plainBytes / items.length, note: 'size of the stored form (base64url + 28 bytes of IV and tag per field)' }),
    ];
  },
};
