import type { InclusionProof } from './inclusion-proof.js';
import type { PublicKeyring } from './keyring.js';
import type { VerifyReport } from './verify/chain-verifier.js';

export interface ChainVerifyOptions {
  /** Trusted public keys; default: the store's own signing keys. */
  readonly publicKeys?: PublicKeyring;
  readonly onProgress?: (done: number, total: number | undefined) => void;
  /** Findings listed in the report (default 1000); all are counted. */
  readonly maxFindings?: number;
  /** Stops the run (the caller went away). */
  readonly signal?: AbortSignal;
}

/**
 * A storage that chains what it stores (docs/integrity.md): the SQL storages. The server's
 * /v1/verify and /v1/checkpoints and the CLI's verify call it.
 */
export interface ChainStore {
  /** Every org that has a chain. */
  chainOrgs(): Promise<string[]>;
  /** The org's checkpoints, oldest first, exactly as signed. */
  checkpoints(orgId: string): Promise<unknown[]>;
  /** The public keys that verify this store's checkpoints ({keyId, publicKey}); empty when it signs none. */
  publicKeys(): { keyId: string; publicKey: string }[];
  /** Recomputes the org's chain from the stored records and checks it against checkpoints, the external log and the head. */
  verifyChain(orgId: string, options?: ChainVerifyOptions): Promise<VerifyReport>;
  /**
   * The org's chain for an independent verifier, from one snapshot: a header, every checkpoint,
   * then every chained record with its stored hash, as JSON-ready lines handed to `write`.
   */
  exportChain(orgId: string, write: (line: object) => Promise<void>, options?: { readonly signal?: AbortSignal }): Promise<void>;
  /** An inclusion proof of one record (NOT_FOUND, or PROOF_UNAVAILABLE until a checkpoint covers it). */
  proveRecord(orgId: string, recordId: string): Promise<InclusionProof>;
}

export function isChainStore(value: unknown): value is ChainStore {
  const v = value as Partial<ChainStore> | null;
  return typeof v === 'object' && v !== null && typeof v.verifyChain === 'function' && typeof v.checkpoints === 'function' && typeof v.chainOrgs === 'function';
}
