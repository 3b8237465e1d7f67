import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { checkCheckpointSignature } from './checkpoint.js';
import { createCheckpointPolicy } from './checkpoint-policy.js';
import { chainBatch, genesisHead } from './hash-chain.js';
import { toHex } from './hex.js';
import { createSigningKeyring, generateSigningKey } from './keyring.js';
import { EMPTY_TREE_ROOT, merkleRoot } from './merkle.js';
import { appendToOrgChain, checkpointDue, cutCheckpoint, resumeOrgChain, sealCheckpoint, startOrgChain } from './org-chain.js';
import { FIXTURE_ORG, fixtureRecords } from './test-support/chain-fixture.js';

const keyring = createSigningKeyring({ privateKeys: [generateSigningKey().privateKeyPem] });
const T0 = Date.UTC(2026, 0, 15);

describe('hash chain', () => {
  it('gives the same seqs and hashes however the records are split into batches', () => {
    const records = fixtureRecords(30);
    const whole = chainBatch(FIXTURE_ORG, genesisHead(FIXTURE_ORG), records);
    let head = genesisHead(FIXTURE_ORG);
    const parts = [];
    for (const size of [1, 7, 2, 20]) {
      const r = chainBatch(FIXTURE_ORG, head, records.slice(parts.length, parts.length + size));
      parts.push(...r.entries);
      head = r.head;
    }
    expect(parts.map((e) => [e.seq, toHex(e.hash)])).toEqual(whole.entries.map((e) => [e.seq, toHex(e.hash)]));
    expect(whole.entries.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('ties each hash to the org, the position and the record', () => {
    const [a, b] = fixtureRecords(2);
    const base = chainBatch(FIXTURE_ORG, genesisHead(FIXTURE_ORG), [a!, b!]).entries;
    const swapped = chainBatch(FIXTURE_ORG, genesisHead(FIXTURE_ORG), [b!, a!]).entries;
    expect(toHex(swapped[1]!.hash)).not.toBe(toHex(base[1]!.hash));
    const otherOrg = chainBatch('org_other', genesisHead('org_other'), fixtureRecords(1, 'org_other')).entries;
    expect(toHex(otherOrg[0]!.hash)).not.toBe(toHex(base[0]!.hash));
  });

  it('refuses a record of another org and a malformed head, chaining nothing', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(isAuditrailError(err(() => chainBatch(FIXTURE_ORG, genesisHead(FIXTURE_ORG), fixtureRecords(1, 'org_other'))), 'INTEGRITY_INPUT_INVALID')).toBe(true);
    expect(isAuditrailError(err(() => chainBatch(FIXTURE_ORG, { seq: -1, hash: new Uint8Array(32) }, [])), 'INTEGRITY_INPUT_INVALID')).toBe(true);
    expect(isAuditrailError(err(() => chainBatch(FIXTURE_ORG, { seq: 3, hash: new Uint8Array(31) }, [])), 'INTEGRITY_INPUT_INVALID')).toBe(true);
  });

  it('hashes absent and null optional fields the same (the SQL storages cannot tell them apart)', () => {
    const [r] = fixtureRecords(1);
    if (r!.kind !== 'event') throw new Error('fixture 0 is an event');
    const withNulls = { ...r!, approver: null, reason: null, mcpServerId: null };
    const a = chainBatch(FIXTURE_ORG, genesisHead(FIXTURE_ORG), [r!]).head;
    const b = chainBatch(FIXTURE_ORG, genesisHead(FIXTURE_ORG), [withNulls]).head;
    expect(toHex(b.hash)).toBe(toHex(a.hash));
  });

  it('hashes a timestamp with an offset as its UTC form with milliseconds (normalizeRecord)', () => {
    const [r] = fixtureRecords(1);
    const shifted = { ...r!, timestamp: '2026-01-15T08:00:00+08:00' };
    expect(toHex(chainBatch(FIXTURE_ORG, genesisHead(FIXTURE_ORG), [shifted]).head.hash)).toBe(toHex(chainBatch(FIXTURE_ORG, genesisHead(FIXTURE_ORG), [r!]).head.hash));
  });
});

describe('org chain state and checkpoints', () => {
  it('leaves the previous state untouched, so a rolled-back transaction keeps it', () => {
    const s0 = startOrgChain(FIXTURE_ORG);
    const { state: s1 } = appendToOrgChain(s0, fixtureRecords(5), T0);
    appendToOrgChain(s1, fixtureRecords(3, FIXTURE_ORG, 5), T0 + 1);
    expect(s0.head.seq).toBe(0);
    expect(s1.head.seq).toBe(5);
    expect(s1.periodSize).toBe(5);
  });

  it('cuts a signed checkpoint over the period with its Merkle root, then opens the next period', () => {
    const records = fixtureRecords(7);
    const { state, entries } = appendToOrgChain(startOrgChain(FIXTURE_ORG), records, T0);
    const { checkpoint, state: next } = cutCheckpoint(state, keyring, T0 + 5);
    expect(checkpoint).toMatchObject({ orgId: FIXTURE_ORG, kind: 'periodic', fromSeq: 1, toSeq: 7, headHash: toHex(entries[6]!.hash), merkleRoot: toHex(merkleRoot(entries.map((e) => e.hash))) });
    expect(checkCheckpointSignature(checkpoint, keyring)).toBe('valid');
    expect(next).toMatchObject({ periodFromSeq: 8, periodSize: 0, lastCheckpointAtMs: T0 + 5, periodStartedAtMs: undefined });
    // With nothing new, the next checkpoint is idle: an empty period that re-signs the same head.
    const idle = cutCheckpoint(next, keyring, T0 + 10).checkpoint;
    expect(idle).toMatchObject({ fromSeq: 8, toSeq: 7, headHash: checkpoint.headHash, merkleRoot: toHex(EMPTY_TREE_ROOT) });
  });

  it('is due after everyRecords records, after everyMs with records waiting, or after idleEveryMs with none', () => {
    const policy = createCheckpointPolicy({ everyRecords: 10, everyMs: 1000, idleEveryMs: 60_000 });
    let s = startOrgChain(FIXTURE_ORG);
    expect(checkpointDue(s, policy, T0)).toBe(false); // nothing written, nothing to attest
    s = appendToOrgChain(s, fixtureRecords(4), T0).state;
    expect(checkpointDue(s, policy, T0 + 999)).toBe(false);
    expect(checkpointDue(s, policy, T0 + 1000)).toBe(true);
    s = appendToOrgChain(s, fixtureRecords(6, FIXTURE_ORG, 4), T0 + 10).state;
    expect(checkpointDue(s, policy, T0 + 10)).toBe(true);
    s = cutCheckpoint(s, keyring, T0 + 20).state;
    expect(checkpointDue(s, policy, T0 + 20 + 59_999)).toBe(false);
    expect(checkpointDue(s, policy, T0 + 20 + 60_000)).toBe(true);
  });

  it('validates the policy once and lists every problem', () => {
    let caught: unknown;
    try {
      createCheckpointPolicy({ everyRecords: 0, everyMs: -1 });
    } catch (err) {
      caught = err;
    }
    expect(isAuditrailError(caught, 'OPTIONS_INVALID')).toBe(true);
    expect((caught as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(['everyMs', 'everyRecords']);
    expect(Object.isFrozen(createCheckpointPolicy())).toBe(true);
  });

  it('resumes after a restart from the head, the last checkpoint and the hashes since', () => {
    const first = appendToOrgChain(startOrgChain(FIXTURE_ORG), fixtureRecords(10), T0);
    const cut = cutCheckpoint(first.state, keyring, T0 + 1);
    const more = appendToOrgChain(cut.state, fixtureRecords(5, FIXTURE_ORG, 10), T0 + 2);
    const resumed = resumeOrgChain({ orgId: FIXTURE_ORG, head: more.state.head, lastCheckpoint: cut.checkpoint, periodHashes: more.entries.map((e) => e.hash), periodStartedAtMs: T0 + 2 });
    const a = cutCheckpoint(more.state, keyring, T0 + 3).checkpoint;
    const b = cutCheckpoint(resumed, keyring, T0 + 3).checkpoint;
    expect(b).toEqual(a);
    expect(() => resumeOrgChain({ orgId: FIXTURE_ORG, head: more.state.head, lastCheckpoint: cut.checkpoint, periodHashes: more.entries.slice(1).map((e) => e.hash) })).toThrow(/do not reach/);
  });

  it('seals dropped records with their last hash and their Merkle root', () => {
    const { entries } = appendToOrgChain(startOrgChain(FIXTURE_ORG), fixtureRecords(9), T0);
    const seal = sealCheckpoint({ orgId: FIXTURE_ORG, fromSeq: 1, recordHashes: entries.slice(0, 6).map((e) => e.hash) }, keyring, T0);
    expect(seal).toMatchObject({ kind: 'seal', fromSeq: 1, toSeq: 6, headHash: toHex(entries[5]!.hash), merkleRoot: toHex(merkleRoot(entries.slice(0, 6).map((e) => e.hash))) });
    expect(checkCheckpointSignature(seal, keyring)).toBe('valid');
  });
});
