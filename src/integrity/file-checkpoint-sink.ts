import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { AuditrailError, errorMessage } from '../core/errors.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import type { CheckpointSink } from './checkpoint-sink.js';

export interface FileCheckpointSinkOptions {
  /** The log file: one JSON checkpoint per line, opened for appending only (O_APPEND). */
  readonly path: string;
  /** fsync after every line (default true): an appended checkpoint survives a crash. */
  readonly fsync?: boolean;
}

/**
 * The external checkpoint log as an append-only file: each checkpoint becomes one line of JSON,
 * written with O_APPEND and fsynced before `append` resolves. Appends are serialized, so lines
 * never interleave. Put the file where the database's superuser cannot write (docs/integrity.md).
 */
export function createFileCheckpointSink(options: FileCheckpointSinkOptions): CheckpointSink {
  const fsync = options.fsync ?? true;
  let handle: Promise<FileHandle> | undefined;
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  const file = (): Promise<FileHandle> => {
    handle ??= openForAppend(options.path, fsync);
    return handle;
  };
  const write = async (c: Checkpoint): Promise<void> => {
    try {
      const fh = await file();
      await fh.appendFile(`${JSON.stringify(c)}\n`, 'utf8');
      if (fsync) await fh.datasync();
    } catch (err) {
      handle = undefined; // reopen next time (the volume may come back)
      throw new AuditrailError('CHECKPOINT_SINK_FAILED', `${options.path}: ${errorMessage(err)}`, { cause: err });
    }
  };
  return {
    name: `file:${options.path}`,
    append(c) {
      if (closed) return Promise.reject(new AuditrailError('CHECKPOINT_SINK_FAILED', `${options.path}: the sink is closed`));
      const p = tail.then(() => write(c));
      tail = p.catch(() => undefined);
      return p;
    },
    async close() {
      closed = true;
      await tail;
      const h = handle;
      handle = undefined;
      if (h) await (await h.catch(() => undefined))?.close();
    },
  };
}

/** Opens with O_APPEND (creating it 0640); when fsyncing, also syncs the folder so a new file's entry survives a crash. */
async function openForAppend(path: string, fsync: boolean): Promise<FileHandle> {
  await mkdir(dirname(path), { recursive: true });
  const fh = await open(path, 'a', 0o640);
  if (fsync) {
    const dir = await open(dirname(path), 'r').catch(() => undefined);
    await dir?.sync().catch(() => undefined); // not every platform can sync a folder
    await dir?.close();
  }
  return fh;
}

/** A line of the log that is not a valid checkpoint: verify reports it. */
export interface CheckpointLogProblem {
  readonly line: number;
  readonly message: string;
}

export interface CheckpointLog {
  readonly checkpoints: readonly Checkpoint[];
  readonly problems: readonly CheckpointLogProblem[];
}

/**
 * Reads an external checkpoint log, keeping the checkpoints of `orgId` (all when omitted) in file
 * order. A missing file reads as empty; a torn last line (a crash mid-append) and any line that is
 * not a checkpoint become problems, not errors. Throws AUDITRAIL_ERR_CHECKPOINT_LOG_UNREADABLE on I/O errors.
 */
export async function readCheckpointLog(path: string, orgId?: string): Promise<CheckpointLog> {
  const checkpoints: Checkpoint[] = [];
  const problems: CheckpointLogProblem[] = [];
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    let n = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      n += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        problems.push({ line: n, message: 'not JSON (a torn or edited line)' });
        continue;
      }
      const r = parseCheckpoint(value);
      if (!r.ok) problems.push({ line: n, message: r.message });
      else if (orgId === undefined || r.checkpoint.orgId === orgId) checkpoints.push(r.checkpoint);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], problems: [] };
    throw new AuditrailError('CHECKPOINT_LOG_UNREADABLE', `${path}: ${errorMessage(err)}`, { cause: err });
  }
  return { checkpoints, problems };
}
