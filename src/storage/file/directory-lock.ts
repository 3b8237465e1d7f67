import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditrailError } from '../../core/errors.js';

const LOCK_FILE = 'LOCK';
/** Directories locked by this process (the pid check cannot tell two storages of one process apart). */
const heldHere = new Set<string>();

export interface DirectoryLock {
  release(): Promise<void>;
}

/**
 * One writer per directory: two storages appending to the same segments would interleave batches.
 * The lock is a `LOCK` file holding the owner's pid; a lock left by a process that no longer runs
 * (a crash) is taken over.
 */
export async function lockDirectory(directory: string): Promise<DirectoryLock> {
  const path = join(directory, LOCK_FILE);
  if (heldHere.has(path)) throw inUse(directory, process.pid);
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
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) throw inUse(directory, owner);
      await rm(path, { force: true });
    }
  }
  throw inUse(directory, undefined);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(directory: string, pid: number | undefined): AuditrailError {
  const who = pid === process.pid ? 'another storage of this process' : pid === undefined ? 'another process' : `process ${pid}`;
  return new AuditrailError('STORAGE_UNAVAILABLE', `${directory} is in use by ${who}; close it first (one writer per directory)`);
}
