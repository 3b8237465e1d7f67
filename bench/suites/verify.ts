/**
 * `npm run bench -- verify`: the cost of tamper evidence, on 100,000 generated records (the
 * storage contract's data set: three events to one interaction, Chinese and emoji text, offsets
 * and nulls to normalize), all moved into one org.
 *
 * - Verify throughput: verifyChain over the stored rows with a checkpoint every 1,000 records
 *   (database copy and external log), against the floor of the same records' JSON.stringify +
 *   SHA-256 alone, which any verifier must at least do.
 * - Write-side chaining cost: appendToOrgChain on batches of 500 (canonical encoding, chain hash,
 *   Merkle frontier), against JSON.stringify of the same batches, which the writer does anyway to
 *   build its rows. The PostgreSQL writer's figure (throughput with vs without the chain) comes
 *   with the wiring; this one isolates the CPU the chain adds per record.
 *
 * Contenders alternate in rounds so that the noise of this shared machine falls on both alike;
 * each figure is the median round.
 */
import { createHash } from 'node:crypto';
import type { AuditRecord } from '../../src/core/index.js';
import {
  appendToOrgChain,
  createSigningKeyring,
  cutCheckpoint,
  entryParts,
  generateSigningKey,
  startOrgChain,
  verifyChain,
  type Checkpoint,
  type EntryParts,
  type StoredChainRecord,
} from '../../src/integrity/index.js';
import { generateDataset } from '../../src/storage/contract/fixtures.js';
import { figure, percentiles, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';

const ORG = 'org_bench';
const BATCH = 500;
const CHECKPOINT_EVERY = 1000;

function records(n: number): AuditRecord[] {
  const d = generateDataset({ seed: 7, events: Math.round(n * 0.75), interactions: n - Math.round(n * 0.75) });
  return d.records.map((r) => ({ ...r, orgId: ORG }));
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function timeMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export const suite: BenchSuite = {
  name: 'verify',
  description: 'integrity: verify throughput and write-side chaining cost on 100,000 records',
  async run(ctx: BenchContext): Promise<BenchFigure[]> {
    const n = ctx.quick ? 10_000 : 100_000;
    const rounds = ctx.quick ? 1 : 3;
    ctx.log(`generating ${n.toLocaleString('en-US')} records`);
    const all = records(n);
    const parts = batches(all, BATCH);
    const keyring = createSigningKeyring({ privateKeys: [generateSigningKey().privateKeyPem] });

    // Write side: chain each batch as the writer would (checkpoints included), and the same split
    // in two: entryParts beforehand (outside the lock), then only the hashing (under the lock);
    // against JSON.stringify of the batches. One unmeasured round first warms the JIT.
    const chainMs: number[] = [];
    const prepareMs: number[] = [];
    const lockedMs: number[] = [];
    const stringifyMs: number[] = [];
    /** Chains all batches; with `split`, each batch's entryParts are prepared first and the two parts timed apart. */
    const chainAll = (split: { prepareMs: number; lockedMs: number } | undefined, keep = false) => {
      let state = startOrgChain(ORG);
      const out: StoredChainRecord[] = [];
      const cps: Checkpoint[] = [];
      let now = Date.UTC(2026, 0, 15);
      for (const batch of parts) {
        let prepared: EntryParts[] | undefined;
        const t0 = process.hrtime.bigint();
        if (split) prepared = batch.map((rec) => entryParts(ORG, rec));
        const t1 = process.hrtime.bigint();
        const res = appendToOrgChain(state, batch, now, prepared);
        state = res.state;
        now += 1000;
        if (state.periodSize >= CHECKPOINT_EVERY) {
          const cut = cutCheckpoint(state, keyring, now);
          state = cut.state;
          cps.push(cut.checkpoint);
        }
        if (split) {
          split.prepareMs += Number(t1 - t0) / 1e6;
          split.lockedMs += Number(process.hrtime.bigint() - t1) / 1e6;
        }
        if (keep) for (let i = 0; i < batch.length; i++) out.push({ seq: res.entries[i]!.seq, hash: res.entries[i]!.hash, record: batch[i]! });
      }
      return { out, cps, head: state.head };
    };
    for (let r = 0; r <= rounds; r++) {
      ctx.log(r === 0 ? 'write side, warm-up' : `write side, round ${r}/${rounds}`);
      // Timed runs keep nothing, as a writer keeps nothing: a growing heap would bill GC to the chain.
      const full = timeMs(() => chainAll(undefined));
      const split = { prepareMs: 0, lockedMs: 0 };
      chainAll(split);
      let bytes = 0;
      const str = timeMs(() => {
        for (const batch of parts) bytes += JSON.stringify(batch).length;
      });
      if (bytes === 0) throw new Error('nothing done');
      if (r === 0) continue;
      chainMs.push(full);
      prepareMs.push(split.prepareMs);
      lockedMs.push(split.lockedMs);
      stringifyMs.push(str);
    }
    const { out: rows, cps: checkpoints, head } = chainAll(undefined, true);

    // Verify side: the full verifier vs the floor (stringify + SHA-256 of each record).
    const verifyMs: number[] = [];
    const floorMs: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      ctx.log(r === 0 ? 'verify, warm-up' : `verify, round ${r}/${rounds}`);
      let ok = false;
      verifyMs.push(
        await timeMsAsync(async () => {
          const report = await verifyChain({ orgId: ORG, publicKeys: keyring, records: rows, checkpoints, externalLog: { checkpoints, problems: [] }, storedHead: head });
          ok = report.ok && report.findings.length === 0;
        }),
      );
      if (!ok) throw new Error('the generated chain did not verify clean');
      let sink = 0;
      floorMs.push(
        timeMs(() => {
          for (const row of rows) sink ^= createHash('sha256').update(JSON.stringify(row.record)).digest()[0]!;
        }),
      );
      if (sink === -1) throw new Error('unreachable');
      if (r === 0) {
        verifyMs.pop();
        floorMs.pop();
      }
    }

    const [chain] = percentiles(chainMs, [50]);
    const [locked] = percentiles(lockedMs, [50]);
    const [prepare] = percentiles(prepareMs, [50]);
    const [str] = percentiles(stringifyMs, [50]);
    const [ver] = percentiles(verifyMs, [50]);
    const [floor] = percentiles(floorMs, [50]);
    const perSecond = (ms: number) => (n / ms) * 1000;
    return [
      figure({
        name: 'verify.records_per_s',
        value: perSecond(ver!),
        unit: 'records/s',
        reference: 'same records: JSON.stringify + SHA-256 only (the floor)',
        referenceValue: perSecond(floor!),
        note: `${n.toLocaleString('en-US')} records, checkpoint every ${CHECKPOINT_EVERY}, one core`,
      }),
      figure({
        name: 'chain.write_records_per_s',
        value: perSecond(chain!),
        unit: 'records/s',
        reference: 'same batches: JSON.stringify only',
        referenceValue: perSecond(str!),
        note: `canonical + chain hash + Merkle frontier + checkpoints, batches of ${BATCH}`,
      }),
      figure({
        name: 'chain.write_us_per_record',
        value: (chain! * 1000) / n,
        unit: 'µs/record',
        reference: 'same batches: JSON.stringify only',
        referenceValue: (str! * 1000) / n,
        note: 'CPU the chain adds per record on the write path; divide by the PostgreSQL write cost per record for the overhead',
      }),
      figure({
        name: 'chain.locked_us_per_record',
        value: (locked! * 1000) / n,
        unit: 'µs/record',
        reference: 'same batches: JSON.stringify only',
        referenceValue: (str! * 1000) / n,
        note: `the part under the org's lock when entryParts are prepared beforehand (prepare: ${((prepare! * 1000) / n).toFixed(1)} µs/record)`,
      }),
    ];
  },
};
