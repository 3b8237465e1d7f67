import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalEntry } from './chain-encoding.js';
import { chainBatch, genesisHead } from './hash-chain.js';
import { toHex } from './hex.js';
import { createSigningKeyring } from './keyring.js';
import { merkleRoot } from './merkle.js';
import { appendToOrgChain, cutCheckpoint, startOrgChain } from './org-chain.js';
import { VECTOR_ORG, VECTOR_RECORDS, VECTOR_TIME_MS, vectorPrivateKeyPem } from './test-support/vectors.js';

// These values are printed in docs/integrity.md ("Test vectors"); an independent verifier must
// reproduce them. Changing any of them is a breaking change of the chain format.
const GENESIS = 'fec103796f93f1fa56a5c1e2f5cca7dd0f254dfc559066606652440eac90c0c3';
const ENTRIES = [
  '{"org":"org_demo","record":{"actionId":"act-1","actionName":"kubectl_get","actionParams":{"limit":5,"namespace":"default","ratio":0.25},"agentId":"agent_ops","durationMs":0,"eventId":"01900000-0000-7000-8000-000000000001","eventType":"action_started","kind":"event","metadata":{},"orgId":"org_demo","requiresApproval":false,"sessionId":"sess-01","severity":"info","timestamp":"2026-01-15T00:00:00.000Z","userId":"u_alice"},"seq":1,"v":1}',
  '{"org":"org_demo","record":{"finalAnswer":"配置文件缺失。","interactionId":"01900000-0000-7000-8000-000000000002","kind":"interaction","metadata":{"route":"/api/chat"},"metrics":[{"durationMs":640,"name":"llm"}],"model":"qwen-max","orgId":"org_demo","question":"为什么 nginx 一直重启？😟","sessionId":"sess-01","status":"success","thoughts":[{"content":"先看 Pod 状态 🤔","sequence":0}],"timestamp":"2026-01-15T00:00:01.500Z","toolCalls":[{"durationMs":120,"input":{"resource":"pods"},"name":"kubectl_get","observation":"nginx 0/1 CrashLoopBackOff","sequence":0,"status":"success"}],"usage":{"inputTokens":1500,"outputTokens":320},"userId":"u_张伟"},"seq":2,"v":1}',
  '{"org":"org_demo","record":{"actionId":"act-1","actionName":"kubectl_get","actionParams":{},"agentId":"agent_ops","durationMs":1234,"errorMessage":"pod \\"nginx\\"\\tnot ready\\n","eventId":"01900000-0000-7000-8000-000000000003","eventType":"action_failed","kind":"event","metadata":{"big":1e+21,"small":1e-7},"orgId":"org_demo","requiresApproval":false,"sessionId":"sess-01","severity":"error","success":false,"timestamp":"2026-01-15T00:00:02.000Z","userId":"u_alice"},"seq":3,"v":1}',
];
const HASHES = [
  '98ffe87a82f5e05b4eb5d80c0ab7d51708634249a1cb7a774b630a38e0c3041d',
  '89f7cc69a6cb2b1a12fe825a4a211b9b17fddd22d07665348b4d4f4839579dfa',
  'e67ca8fff26682085333dd37b85938020e1c2cc427a7eb9ffa26b1a8a8b62875',
];
const ROOT = 'f8d06413f8a948efa2b81d178725d1e9cad9c7e33fa0566dba87b1e9090e2934';
const KEY_ID = '56475aa75463474c';
const PUBLIC_KEY = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8';
const SIGNATURE = 'dff190886c206234681e99f325bff2c61eeae6253ba97a0e1b93bddc9273c0d034699b7ad47bc628b9d35071c8091062c8f403260123ddaba742d0387be2f305';

describe('chain test vectors', () => {
  it('gives the documented genesis hash, canonical entries and chain hashes', () => {
    expect(toHex(genesisHead(VECTOR_ORG).hash)).toBe(GENESIS);
    VECTOR_RECORDS.forEach((r, i) => expect(canonicalEntry(VECTOR_ORG, i + 1, r)).toBe(ENTRIES[i]));
    const { entries, head } = chainBatch(VECTOR_ORG, genesisHead(VECTOR_ORG), VECTOR_RECORDS);
    expect(entries.map((e) => toHex(e.hash))).toEqual(HASHES);
    expect(head.seq).toBe(3);
  });

  it('gives the documented Merkle root, key id and deterministic Ed25519 signature', () => {
    expect(toHex(merkleRoot(HASHES.map((h) => Buffer.from(h, 'hex'))))).toBe(ROOT);
    const keyring = createSigningKeyring({ privateKeys: [vectorPrivateKeyPem()] });
    expect(keyring.toJSON()).toEqual([{ keyId: KEY_ID, publicKey: PUBLIC_KEY }]);
    const state = appendToOrgChain(startOrgChain(VECTOR_ORG), VECTOR_RECORDS, VECTOR_TIME_MS).state;
    const { checkpoint } = cutCheckpoint(state, keyring, VECTOR_TIME_MS);
    expect(checkpoint).toEqual({
      type: 'auditrail.checkpoint.v1',
      orgId: VECTOR_ORG,
      kind: 'periodic',
      fromSeq: 1,
      toSeq: 3,
      headHash: HASHES[2],
      merkleRoot: ROOT,
      time: '2026-01-15T00:01:00.000Z',
      keyId: KEY_ID,
      signature: SIGNATURE,
    });
  });

  it('are printed in docs/integrity.md exactly', () => {
    const doc = readFileSync(new URL('../../docs/integrity.md', import.meta.url), 'utf8');
    for (const v of [GENESIS, ...ENTRIES, ...HASHES, ROOT, KEY_ID, PUBLIC_KEY, SIGNATURE]) expect(doc).toContain(v);
  });
});
