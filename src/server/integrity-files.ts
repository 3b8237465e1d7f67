import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AuditrailError, errorMessage } from '../core/errors.js';
import { generateSigningKey } from '../integrity/keyring.js';
import type { IntegrityOptions } from '../storage/sql/integrity-options.js';
import type { AuditrailConfig } from './config/config-schema.js';

const PEM_BLOCK = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g;

/** Where a configuration's signing keys and external checkpoint log are (defaults under data_dir/integrity). */
export function integrityPaths(config: AuditrailConfig): { signingKeyFile: string; checkpointLog: string } {
  const dir = join(resolve(config.storage.data_dir), 'integrity');
  const i = config.integrity;
  return {
    signingKeyFile: resolve(i.signing_key_file || join(dir, 'signing-key.pem')),
    checkpointLog: resolve(i.checkpoint_log || join(dir, 'checkpoints.log')),
  };
}

/**
 * The SQL storages' integrity options of a configuration. The signing key file holds one or more
 * PKCS#8 PEM private keys (the first signs; rotate by putting a new key first). When the file is
 * the default one and does not exist yet, a key is generated into it (mode 0600; two processes
 * starting at once end up with the same key). A configured file that is missing or holds no key
 * is AUDITRAIL_ERR_SIGNING_KEY_INVALID.
 */
export async function integrityOptions(config: AuditrailConfig): Promise<IntegrityOptions>;
/** With `createKey: false` (a tool beside the server): undefined when the default key file does not exist yet. */
export async function integrityOptions(config: AuditrailConfig, options: { createKey: false }): Promise<IntegrityOptions | undefined>;
export async function integrityOptions(config: AuditrailConfig, options: { createKey: boolean } = { createKey: true }): Promise<IntegrityOptions | undefined> {
  const { signingKeyFile, checkpointLog } = integrityPaths(config);
  const isDefault = config.integrity.signing_key_file === '';
  if (!options.createKey && isDefault && !existsSync(signingKeyFile)) return undefined;
  const signingKeys = await readSigningKeys(signingKeyFile, isDefault && options.createKey);
  const i = config.integrity;
  return {
    signingKeys,
    checkpointLog,
    checkpointEveryRecords: i.checkpoint_every_records,
    checkpointEveryMs: i.checkpoint_every_ms,
    idleCheckpointEveryMs: i.idle_checkpoint_every_ms,
  };
}

async function readSigningKeys(path: string, createIfMissing: boolean): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !createIfMissing) {
      throw new AuditrailError('SIGNING_KEY_INVALID', `cannot read integrity.signing_key_file ${path}: ${errorMessage(err)}`, { cause: err });
    }
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // written whole to a file of its own, then linked into place: another process starting at the
    // same moment finds either no key file or a complete one, never a half-written one
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, generateSigningKey().privateKeyPem, { flag: 'wx', mode: 0o600 });
      await link(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuditrailError('SIGNING_KEY_INVALID', `cannot create ${path}: ${errorMessage(e)}`, { cause: e });
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    text = await readFile(path, 'utf8');
  }
  const keys = text.match(PEM_BLOCK) ?? [];
  if (keys.length === 0) throw new AuditrailError('SIGNING_KEY_INVALID', `${path} holds no PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)`);
  return keys;
}
