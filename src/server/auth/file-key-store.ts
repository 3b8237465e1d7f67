import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditrailError, errorMessage } from '../../core/errors.js';
import { generateToken } from './api-key.js';
import { publicInfo, type ApiKeyInfo, type CreatedApiKey, type CreateKeyInput, type KeyStore, type StoredApiKey } from './key-store.js';

interface KeyFile {
  readonly version: 1;
  readonly keys: StoredApiKey[];
}

/**
 * Keys in a JSON file (mode 0600) in the data folder, for embedded mode: the server and the CLI
 * may both use it, so every change takes a lock file, re-reads, and replaces the file atomically
 * (write, fsync, rename); readers reload when the file changed.
 */
export class FileKeyStore implements KeyStore {
  readonly name = 'file';
  readonly #path: string;
  #cache: { mtimeMs: number; size: number; keys: Map<string, StoredApiKey> } | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  async create(input: CreateKeyInput): Promise<CreatedApiKey> {
    const { keyId, token, hash } = generateToken();
    const stored: StoredApiKey = {
      keyId,
      orgId: input.orgId,
      scopes: [...new Set(input.scopes)],
      label: input.label ?? null,
      createdAt: new Date().toISOString(),
      revokedAt: null,
      hash,
    };
    await this.#mutate((keys) => {
      keys.set(keyId, stored);
    });
    return { key: publicInfo(stored), token };
  }

  async find(keyId: string): Promise<StoredApiKey | undefined> {
    return (await this.#load()).get(keyId);
  }

  async list(orgId?: string): Promise<ApiKeyInfo[]> {
    const all = [...(await this.#load()).values()].filter((k) => orgId === undefined || k.orgId === orgId);
    return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).map(publicInfo);
  }

  async revoke(keyId: string, orgId?: string): Promise<boolean> {
    let done = false;
    await this.#mutate((keys) => {
      const k = keys.get(keyId);
      if (!k || k.revokedAt !== null || (orgId !== undefined && k.orgId !== orgId)) return;
      keys.set(keyId, { ...k, revokedAt: new Date().toISOString() });
      done = true;
    });
    return done;
  }

  async count(): Promise<number> {
    return (await this.#load()).size;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  async #load(): Promise<Map<string, StoredApiKey>> {
    let st;
    try {
      st = await stat(this.#path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw unavailable(this.#path, err);
    }
    if (this.#cache && this.#cache.mtimeMs === st.mtimeMs && this.#cache.size === st.size) return this.#cache.keys;
    let parsed: KeyFile;
    try {
      parsed = JSON.parse(await readFile(this.#path, 'utf8')) as KeyFile;
    } catch (err) {
      throw new AuditrailError('STORAGE_CORRUPT', `${this.#path} is not a valid key file`, { cause: err });
    }
    const keys = new Map(parsed.keys.map((k) => [k.keyId, k]));
    this.#cache = { mtimeMs: st.mtimeMs, size: st.size, keys };
    return keys;
  }

  async #mutate(change: (keys: Map<string, StoredApiKey>) => void): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    const release = await lock(`${this.#path}.lock`);
    try {
      this.#cache = undefined;
      const keys = new Map(await this.#load());
      change(keys);
      const tmp = `${this.#path}.${process.pid}.tmp`;
      const body: KeyFile = { version: 1, keys: [...keys.values()] };
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(`${JSON.stringify(body, null, 2)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.#path);
      this.#cache = undefined;
    } finally {
      await release();
    }
  }
}

/** An exclusive lock file; a lock older than 30 s is taken over (its holder died). */
async function lock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unavailable(path, err);
      const st = await stat(path).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > 30_000) await rm(path, { force: true });
      if (attempt > 500) throw unavailable(path, new Error('lock held for too long'));
      await sleep(10);
    }
  }
}

function unavailable(path: string, err: unknown): AuditrailError {
  return new AuditrailError('STORAGE_UNAVAILABLE', `key file ${path}: ${errorMessage(err)}`, { cause: err });
}

export function createFileKeyStore(dataDir: string): KeyStore {
  return new FileKeyStore(join(dataDir, 'keys.json'));
}
