import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { FileStorageDiagnostic } from '../diagnostics.js';
import { createFileStorage, type FileStorage } from '../file-storage.js';
import type { FileStorageOptions } from '../options.js';

/** Temp directories and storages of one test file, removed after each test. */
export function tempStores() {
  const dirs: string[] = [];
  const open: FileStorage[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  return {
    async dir(): Promise<string> {
      const d = await mkdtemp(join(tmpdir(), 'auditrail-file-'));
      dirs.push(d);
      return d;
    },
    /** Opens a storage; diagnostics are collected in the returned list. */
    async open(options: FileStorageOptions): Promise<{ storage: FileStorage; diagnostics: FileStorageDiagnostic[] }> {
      const diagnostics: FileStorageDiagnostic[] = [];
      const storage = await createFileStorage({ ...options, onDiagnostic: (d) => diagnostics.push(d) });
      open.push(storage);
      return { storage, diagnostics };
    },
  };
}

export async function segmentFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((f) => f.startsWith('segment-')).sort();
}

export async function fileLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').slice(0, -1);
}
