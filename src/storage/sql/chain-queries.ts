import { AuditrailError } from '../../core/errors.js';
import { parseCheckpoint } from '../../integrity/checkpoint.js';
import { readCheckpointLog } from '../../integrity/file-checkpoint-sink.js';
import { buildInclusionProof, type InclusionProof } from '../../integrity/inclusion-proof.js';
import type { PublicKeyring } from '../../integrity/keyring.js';
import { toHex } from '../../integrity/hex.js';
import { ChainVerifier, type VerifyReport } from '../../integrity/verify/chain-verifier.js';
import { chainRecords, checkpointCovering, locateInChain, readOrgChainFacts, storedHashes } from './chain-reader.js';
import * as reads from './read-queries.js';
import { serialized, type SqlDriver } from './sql-driver.js';

export interface VerifyOrgOptions {
  readonly publicKeys: PublicKeyring;
  /** The external checkpoint log's file, when the storage appends to one. */
  readonly externalLogPath?: string;
  readonly onProgress?: (done: number, total: number | undefined) => void;
  readonly maxFindings?: number;
  /** Checked between records: true stops the run (STORAGE_CLOSED). */
  readonly stopped: () => boolean;
}

/**
 * Recomputes an org's chain. The external log is read first, then the head, the checkpoints and
 * every record come from one REPEATABLE READ snapshot, so records committed while verify runs are
 * neither "beyond the head" nor "missing" (on PGlite, whose one connection serializes everything,
 * writes wait for the run).
 */
export async function verifyOrgChain(driver: SqlDriver, orgId: string, o: VerifyOrgOptions): Promise<VerifyReport> {
  const externalLog = o.externalLogPath ? await readCheckpointLog(o.externalLogPath, orgId) : undefined;
  return driver.transaction(async (conn) => {
    const db = serialized(conn);
    await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const facts = await readOrgChainFacts(db, orgId);
    const verifier = new ChainVerifier({
      orgId,
      publicKeys: o.publicKeys,
      checkpoints: facts.checkpoints,
      ...(externalLog ? { externalLog } : {}),
      storedHead: facts.storedHead,
      unchained: facts.unchained,
      totalRecords: facts.records,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.maxFindings !== undefined ? { maxFindings: o.maxFindings } : {}),
    });
    for await (const r of chainRecords(db, orgId)) {
      if (o.stopped()) throw new AuditrailError('STORAGE_CLOSED', 'verify stopped: the storage is closing or the caller went away');
      verifier.push(r);
    }
    return verifier.finish();
  });
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An inclusion proof for one record of the org (docs/integrity.md, "Inclusion proofs"), read from
 * one snapshot: its canonical entry, the hash before it, the RFC 6962 audit path to the Merkle
 * root of the signed checkpoint that covers it. NOT_FOUND for an id the org does not have;
 * PROOF_UNAVAILABLE while no checkpoint covers it yet, or when its stored period does not add up.
 */
export async function proveOrgRecord(driver: SqlDriver, orgId: string, id: string): Promise<InclusionProof> {
  if (!UUID_TEXT.test(id)) throw new AuditrailError('NOT_FOUND', `no record ${id} in org ${orgId}`);
  return driver.transaction(async (conn) => {
    const db = serialized(conn);
    await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const at = await locateInChain(db, orgId, id);
    if (!at) throw new AuditrailError('NOT_FOUND', `no record ${id} in org ${orgId}`);
    if (at.seq === null) throw new AuditrailError('PROOF_UNAVAILABLE', `record ${id} carries no seq: it was stored outside the chain writer (run verify)`);
    const body = await checkpointCovering(db, orgId, at.seq);
    if (body === undefined) throw new AuditrailError('PROOF_UNAVAILABLE', `no signed checkpoint covers seq ${at.seq} yet`);
    const parsed = parseCheckpoint(body);
    if (!parsed.ok) throw new AuditrailError('PROOF_UNAVAILABLE', `the checkpoint covering seq ${at.seq} is malformed: ${parsed.message} (run verify)`);
    const checkpoint = parsed.checkpoint;
    const record = at.kind === 'event' ? await reads.getEvent(db, id, orgId) : await reads.getInteraction(db, id, orgId);
    if (!record) throw new AuditrailError('NOT_FOUND', `no record ${id} in org ${orgId}`);
    const periodHashes = await storedHashes(db, orgId, checkpoint.fromSeq, checkpoint.toSeq);
    // a record that opens its period: the hash before it is the last one of the previous period
    // (the previous checkpoint's headHash; stored, unless retention dropped it: then the seal's)
    let prevHash: Uint8Array | undefined;
    if (at.seq === checkpoint.fromSeq && at.seq > 1) [prevHash] = await storedHashes(db, orgId, at.seq - 1, at.seq - 1);
    return buildInclusionProof({ orgId, seq: at.seq, record, checkpoint, periodHashes, ...(prevHash ? { prevHash } : {}) });
  });
}

/** One line of a chain export (docs/integrity.md, "Export for independent verifiers"). */
export type ChainExportLine =
  | { readonly type: 'auditrail.chain-export.v1'; readonly orgId: string; readonly head: { readonly seq: number; readonly hash: string } | null; readonly records: number }
  | { readonly type: 'checkpoint'; readonly checkpoint: unknown }
  | { readonly type: 'record'; readonly seq: number; readonly hash: string; readonly record: unknown };

/**
 * Everything an independent verifier needs of one org, from one snapshot, a line at a time: a
 * header (the chain head), every checkpoint as signed, then every chained record in seq order
 * with its stored hash. `write` may wait (backpressure).
 */
export async function exportOrgChain(driver: SqlDriver, orgId: string, write: (line: ChainExportLine) => Promise<void>, stopped: () => boolean): Promise<void> {
  await driver.transaction(async (conn) => {
    const db = serialized(conn);
    await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const facts = await readOrgChainFacts(db, orgId);
    await write({ type: 'auditrail.chain-export.v1', orgId, head: facts.storedHead ? { seq: facts.storedHead.seq, hash: toHex(facts.storedHead.hash) } : null, records: facts.records });
    for (const checkpoint of facts.checkpoints) await write({ type: 'checkpoint', checkpoint });
    for await (const r of chainRecords(db, orgId)) {
      if (stopped()) throw new AuditrailError('STORAGE_CLOSED', 'export stopped: the storage is closing or the caller went away');
      await write({ type: 'record', seq: r.seq, hash: typeof r.hash === 'string' ? r.hash : toHex(r.hash), record: r.record });
    }
  });
}
