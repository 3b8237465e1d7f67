import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { AuditrailError, errorMessage } from '../../core/errors.js';
import type { InclusionProof } from '../../integrity/inclusion-proof.js';
import { verifyInclusionProof } from '../../integrity/inclusion-proof.js';
import { createPublicKeyring } from '../../integrity/keyring.js';
import { println, type CliContext } from '../cli-context.js';
import { addConnectionOptions, connect, type ConnectionFlags } from '../connection-options.js';

interface ProveFlags extends ConnectionFlags {
  readonly check?: string;
  readonly publicKey?: string[];
}

export function proveCommand(ctx: CliContext): Command {
  const cmd = new Command('prove')
    .summary('print an inclusion proof of one record, or check one')
    .description(
      'Print, as JSON, a proof that one record of your org is in its hash chain: the canonical entry that was\n' +
        'hashed (it holds the record), the hash before it, and the RFC 6962 audit path to the Merkle root of the\n' +
        'signed checkpoint that covers it. A third party checks it with SHA-256, Ed25519 and the public key\n' +
        '(docs/integrity.md, "Inclusion proofs"), or with `auditrail prove --check proof.json --public-key <hex>`.\n' +
        'The proof is checked against the server\'s published keys before it is printed.',
    )
    .argument('[record-id]', 'the eventId or interactionId')
    .option('--check <file>', 'check a proof file instead (no server needed); exits 7 when it does not hold')
    .option('--public-key <key...>', 'with --check: trusted public keys (64 hex digits or SPKI PEM); default: the key the server publishes');
  addConnectionOptions(cmd);
  return cmd
    .addHelpText('after', '\nExamples:\n  $ auditrail prove 0193a1b2-… > proof.json\n  $ auditrail prove --check proof.json --public-key 3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29')
    .action(async (id: string | undefined, flags: ProveFlags) => {
      if (flags.check) return checkProof(flags, ctx);
      if (!id) throw new AuditrailError('REQUEST_INVALID', 'give the record id to prove, or --check <file>');
      const api = connect(flags, ctx);
      const proof = await api.get<InclusionProof>(`/v1/proofs/${encodeURIComponent(id)}`);
      if (typeof proof.recordId !== 'string' || proof.recordId.toLowerCase() !== id.toLowerCase()) throw new AuditrailError('VERIFY_FAILED', `the server answered a proof of record ${String(proof.recordId)}, not of ${id}`);
      const { publicKeys } = await api.get<{ publicKeys: { publicKey: string }[] }>('/v1/checkpoints');
      const check = verifyInclusionProof(proof, createPublicKeyring(publicKeys.map((k) => k.publicKey)));
      if (!check.ok) throw new AuditrailError('VERIFY_FAILED', `the server's proof of ${id} does not hold: ${check.problems.join('; ')}`);
      println(ctx.stdout, JSON.stringify(proof, null, 2));
    });
}

async function checkProof(flags: ProveFlags, ctx: CliContext): Promise<void> {
  let proof: InclusionProof;
  try {
    proof = JSON.parse(await readFile(flags.check!, 'utf8')) as InclusionProof;
  } catch (err) {
    throw new AuditrailError('REQUEST_INVALID', `cannot read the proof ${flags.check}: ${errorMessage(err)}`);
  }
  const keys =
    flags.publicKey && flags.publicKey.length > 0
      ? await Promise.all(flags.publicKey.map(async (k) => (/^[0-9a-f]{64}$/i.test(k) || k.includes('BEGIN PUBLIC KEY') ? k : readFile(k, 'utf8'))))
      : (await connect(flags, ctx).get<{ publicKeys: { publicKey: string }[] }>('/v1/checkpoints')).publicKeys.map((k) => k.publicKey);
  const check = verifyInclusionProof(proof, createPublicKeyring(keys));
  if (!check.ok) {
    for (const p of check.problems) println(ctx.stdout, `  ${p}`);
    throw new AuditrailError('VERIFY_FAILED', `the proof of record ${String(proof.recordId)} does not hold`);
  }
  println(ctx.stdout, `OK: record ${proof.recordId} is seq ${proof.seq} of org ${proof.orgId}, under the checkpoint of seqs ${proof.checkpoint.fromSeq}..${proof.checkpoint.toSeq} signed by key ${proof.checkpoint.keyId}`);
}
