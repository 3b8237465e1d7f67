import { ChainVerifier, type ChainVerifierOptions, type StoredChainRecord, type VerifyReport } from './chain-verifier.js';

export interface VerifyChainOptions extends ChainVerifierOptions {
  /** The org's stored records in seq order (a database cursor, a file, an array). */
  readonly records: Iterable<StoredChainRecord> | AsyncIterable<StoredChainRecord>;
}

/** Verifies an org's chain from an iterable of its stored records; see ChainVerifier. */
export async function verifyChain(options: VerifyChainOptions): Promise<VerifyReport> {
  const verifier = new ChainVerifier(options);
  const records = options.records;
  if (Symbol.asyncIterator in records) for await (const r of records) verifier.push(r);
  else for (const r of records) verifier.push(r);
  return verifier.finish();
}
