import { rmSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditrailError } from '../../core/index.js';

const LOCK_FILE = 'LOCK';
/** Directories locked by this process (the pid check cannot tell two spools of one process apart). */
const heldHere = new Set<string>();

export interface SpoolLock {
  release(): Promise<void>;
  /** At process exit, when nothing asynchronous runs any more. */
  releaseSync(): void;
}

/**
 * One process per spool directory: two appending to the same segment would interleave frames.
 * The lock is a `LOCK` file holding the owner's pid; a lock left by a process that no longer
 * runs (a crash, SIGKILL) is taken over, which is what lets a restarted process replay its spool.
 */
export async function lockSpoolDirectory(directory: string): Promise<SpoolLock> {
  const path = join(directory, LOCK_FILE);
  if (heldHere.has(path)) throw inUse(directory, 'another spool of this process');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      heldHere.add(path);
      return {
        release: async () => {
          heldHere.delete(path);
          await rm(path, { force: true });
        },
        releaseSync: () => {
          heldHere.delete(path);
          rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) throw inUse(directory, `process ${owner}`);
      await rm(path, { force: true });
    }
  }
  throw inUse(directory, 'another process');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(directory: string, who: string): AuditrailError {
  return new AuditrailError('SPOOL_UNAVAILABLE', `lock ${directory}: in use by ${who} (one process per spool directory)`);
}
