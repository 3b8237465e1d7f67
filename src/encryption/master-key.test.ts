import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { createMasterKey, generateMasterKey, masterKeyId, parseMasterKey, readMasterKeyFile } from './master-key.js';

const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-kek-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('master key', () => {
  it('reads the same key from hex, base64 and base64url text, surrounding whitespace ignored', () => {
    const id = masterKeyId(bytes);
    expect(parseMasterKey(bytes.toString('hex')).id).toBe(id);
    expect(parseMasterKey(bytes.toString('hex').toUpperCase()).id).toBe(id);
    expect(parseMasterKey(`  ${bytes.toString('base64')}\n`).id).toBe(id);
    expect(parseMasterKey(bytes.toString('base64url')).id).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(parseMasterKey(generateMasterKey()).id).not.toBe(id);
  });

  it('refuses text that is not 32 bytes, naming the option and never the value', () => {
    const secret = 'c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0';
    for (const text of [secret, bytes.toString('hex').slice(2), `${bytes.toString('base64')}AA`, '']) {
      let err: unknown;
      try {
        parseMasterKey(text, 'encryption.master_key');
      } catch (e) {
        err = e;
      }
      expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
      expect((err as Error).message).toContain('encryption.master_key');
      if (text !== '') expect(JSON.stringify(err) + (err as Error).message).not.toContain(text);
    }
  });

  it('reads a key file holding text or the 32 raw bytes', async () => {
    const hexFile = join(dir, 'hex.key');
    const rawFile = join(dir, 'raw.key');
    await writeFile(hexFile, `${bytes.toString('hex')}\n`);
    await writeFile(rawFile, bytes);
    expect((await readMasterKeyFile(hexFile)).id).toBe(masterKeyId(bytes));
    expect((await readMasterKeyFile(rawFile)).id).toBe(masterKeyId(bytes));
  });

  it('reports a missing key file as an unavailable key, and a bad one as invalid options', async () => {
    const missing = await rejection(readMasterKeyFile(join(dir, 'gone.key')));
    expect(isAuditrailError(missing, 'ENCRYPTION_KEY_UNAVAILABLE')).toBe(true);
    expect(missing.message).toContain('gone.key');
    const bad = join(dir, 'bad.key');
    await writeFile(bad, 'not a key at all');
    expect(isAuditrailError(await rejection(readMasterKeyFile(bad)), 'OPTIONS_INVALID')).toBe(true);
  });

  it('shows nothing of the key when logged or serialized', () => {
    const kek = createMasterKey(bytes);
    const shown = `${inspect(kek, { showHidden: true, depth: 5 })} ${JSON.stringify(kek)} ${Object.prototype.toString.call(kek)}`;
    for (const form of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]) expect(shown).not.toContain(form);
    expect(JSON.parse(JSON.stringify(kek))).toEqual({ id: kek.id });
  });

  it('unwraps a data key only for the org and version it was wrapped for, and only with its master key', () => {
    const kek = createMasterKey(bytes);
    const dek = randomBytes(32);
    const wrapped = kek.wrap('org_a', 3, dek);
    expect(kek.unwrap('org_a', 3, wrapped)).toEqual(dek);
    expect(kek.unwrap('org_b', 3, wrapped)).toBeUndefined();
    expect(kek.unwrap('org_a', 4, wrapped)).toBeUndefined();
    expect(createMasterKey(randomBytes(32)).unwrap('org_a', 3, wrapped)).toBeUndefined();
    expect(kek.unwrap('org_a', 3, `${wrapped.slice(0, -1)}${wrapped.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(kek.unwrap('org_a', 3, 'not base64url!')).toBeUndefined();
    expect(wrapped).not.toContain(dek.toString('base64url'));
  });
});
