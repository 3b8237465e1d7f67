/**
 * auditrail integrity: tamper evidence for stored records (docs/integrity.md). Canonical encoding,
 * the per-org hash chain, signed checkpoints with RFC 6962 Merkle roots, the external checkpoint
 * log, inclusion proofs, and the streaming verifier. Imports only core; storage (the PostgreSQL
 * writer), the server and the CLI call it.
 */
export { isChainStore, type ChainStore, type ChainVerifyOptions } from './chain-store.js';
export { canonicalJson } from './canonical-json.js';
export { CHAIN_ENCODING_VERSION, canonicalEntry, entryParts, type EntryParts } from './chain-encoding.js';
export { HASH_BYTES, chainBatch, chainHash, genesisHash, genesisHead, type ChainBatchResult, type ChainEntry, type ChainHead } from './hash-chain.js';
export { asBytes, fromHex, sameBytes, toHex } from './hex.js';
export { EMPTY_TREE_ROOT, MerkleAccumulator, merkleLeafHash, merkleNodeHash, merkleRoot } from './merkle.js';
export { proveInclusion, rootFromInclusion, verifyInclusion, type InclusionPath } from './inclusion.js';
export {
  createPublicKeyring,
  createSigningKeyring,
  generateSigningKey,
  keyIdOf,
  type GeneratedSigningKey,
  type KeyCheck,
  type PublicKeyring,
  type SigningKeyring,
  type SigningKeyringOptions,
} from './keyring.js';
export {
  CHECKPOINT_TYPE,
  CheckpointSchema,
  checkCheckpointSignature,
  checkpointMessage,
  checkpointSize,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
  type CheckpointBody,
  type CheckpointKind,
  type CheckpointParse,
  type UnsignedCheckpoint,
} from './checkpoint.js';
export { CheckpointPolicySchema, createCheckpointPolicy, type CheckpointPolicy, type CheckpointPolicyOptions } from './checkpoint-policy.js';
export {
  appendToOrgChain,
  checkpointDue,
  cutCheckpoint,
  resumeOrgChain,
  sealCheckpoint,
  startOrgChain,
  type OrgChainState,
  type ResumeOrgChainInput,
  type SealInput,
} from './org-chain.js';
export { createMemoryCheckpointSink, type CheckpointSink, type MemoryCheckpointSink } from './checkpoint-sink.js';
export {
  createFileCheckpointSink,
  readCheckpointLog,
  type CheckpointLog,
  type CheckpointLogProblem,
  type FileCheckpointSinkOptions,
} from './file-checkpoint-sink.js';
export { planRetentionCut, type PartitionSeqRange, type RetentionCut, type RetentionCutInput } from './retention-cut.js';
export { PROOF_TYPE, buildInclusionProof, verifyInclusionProof, type BuildProofInput, type InclusionProof, type ProofCheck } from './inclusion-proof.js';
export { ChainVerifier, type ChainVerifierOptions, type StoredChainRecord, type VerifyReport } from './verify/chain-verifier.js';
export { verifyChain, type VerifyChainOptions } from './verify/verify-chain.js';
export { findRangeAnchor, type RangeStart } from './verify/range-anchor.js';
export type { CheckpointStats } from './verify/checkpoint-audit.js';
export { checkpointRef, severityOf, type CheckpointRef, type Finding, type FindingDetails, type FindingKind, type FindingSeverity } from './verify/findings.js';
