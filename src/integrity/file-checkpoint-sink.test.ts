import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';
import { createFileCheckpointSink, readCheckpointLog } from './file-checkpoint-sink.js';
import { createSigningKeyring, generateSigningKey } from './keyring.js';

const keyring = createSigningKeyring({ privateKeys: [generateSigningKey().privateKeyPem] });
const checkpoint = (toSeq: number, orgId = 'org_a'): Checkpoint =>
  signCheckpoint({ orgId, kind: 'periodic', fromSeq: toSeq - 9, toSeq, headHash: new Uint8Array(32).fill(toSeq % 256), merkleRoot: new Uint8Array(32), timeMs: Date.UTC(2026, 0, 1) + toSeq }, keyring);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-cplog-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file checkpoint sink', () => {
  it('appends one JSON line per checkpoint that reads back equal, in order, per org', async () => {
    const path = join(dir, 'nested', 'checkpoints.jsonl');
    const sink = createFileCheckpointSink({ path });
    const written = [checkpoint(10), checkpoint(10, 'org_b'), checkpoint(20)];
    for (const c of written) await sink.append(c);
    await sink.close();
    expect((await readFile(path, 'utf8')).trimEnd().split('\n')).toHaveLength(3);
    expect((await readCheckpointLog(path, 'org_a')).checkpoints).toEqual([written[0], written[2]]);
    expect((await readCheckpointLog(path)).checkpoints).toHaveLength(3);
  });

  it('keeps lines whole and in call order under concurrent appends', async () => {
    const path = join(dir, 'log.jsonl');
    const sink = createFileCheckpointSink({ path });
    const many = Array.from({ length: 50 }, (_, i) => checkpoint((i + 1) * 10));
    await Promise.all(many.map((c) => sink.append(c)));
    await sink.close();
    const log = await readCheckpointLog(path);
    expect(log.problems).toEqual([]);
    expect(log.checkpoints.map((c) => c.toSeq)).toEqual(many.map((c) => c.toSeq));
  });

  it('appends to an existing log without rewriting it', async () => {
    const path = join(dir, 'log.jsonl');
    const first = createFileCheckpointSink({ path });
    await first.append(checkpoint(10));
    await first.close();
    const second = createFileCheckpointSink({ path, fsync: false });
    await second.append(checkpoint(20));
    await second.close();
    expect((await readCheckpointLog(path)).checkpoints.map((c) => c.toSeq)).toEqual([10, 20]);
  });

  it('reads a missing log as empty and reports torn or foreign lines as problems', async () => {
    expect(await readCheckpointLog(join(dir, 'absent.jsonl'))).toEqual({ checkpoints: [], problems: [] });
    const path = join(dir, 'log.jsonl');
    await writeFile(path, `${JSON.stringify(checkpoint(10))}\n{"type":"something else"}\n\n`);
    await appendFile(path, JSON.stringify(checkpoint(20)).slice(0, 40));
    const log = await readCheckpointLog(path);
    expect(log.checkpoints.map((c) => c.toSeq)).toEqual([10]);
    expect(log.problems.map((p) => p.line)).toEqual([2, 4]);
    expect(log.problems[1]!.message).toMatch(/torn/);
  });

  it('rejects with CHECKPOINT_SINK_FAILED when the file cannot be written, and after close', async () => {
    const ro = join(dir, 'ro');
    await writeFile(ro, 'a file, not a folder');
    const sink = createFileCheckpointSink({ path: join(ro, 'log.jsonl') });
    await expect(sink.append(checkpoint(10))).rejects.toSatisfy((e) => isAuditrailError(e, 'CHECKPOINT_SINK_FAILED'));
    await sink.close();
    await expect(sink.append(checkpoint(20))).rejects.toSatisfy((e) => isAuditrailError(e, 'CHECKPOINT_SINK_FAILED'));
  });

  it('throws CHECKPOINT_LOG_UNREADABLE when the log path exists but cannot be read as a file', async () => {
    await expect(readCheckpointLog(dir)).rejects.toSatisfy((e) => isAuditrailError(e, 'CHECKPOINT_LOG_UNREADABLE'));
  });
});
