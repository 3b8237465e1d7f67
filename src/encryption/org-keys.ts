import type { DataKey } from './data-key.js';

/**
 * Why a key version cannot be used. `org`: nothing of the org can be decrypted with this
 * configuration (no master key, the wrong one, a damaged key row, the key store unreachable);
 * always an error. `version`: only this version is gone (destroyed, or never existed); a list
 * read may mark the affected fields instead of failing (see decryptRecord).
 */
export interface KeyProblem {
  readonly scope: 'org' | 'version';
  readonly reason: string;
}

/** An org's data keys, unwrapped: what encryptRecord and decryptRecord need of the key hierarchy. */
export interface OrgKeys {
  readonly orgId: string;
  /** The version new records are encrypted under (the highest), or why there is none usable. */
  readonly active: DataKey | KeyProblem;
  /** The key of one version, or why it is unavailable. */
  key(version: number): DataKey | KeyProblem;
}

export interface UnavailableVersion {
  readonly version: number;
  readonly problem: KeyProblem;
}

export function isKeyProblem<T extends object>(k: T | KeyProblem): k is KeyProblem {
  return 'reason' in k && 'scope' in k;
}

/**
 * Builds an org's keys from its versions: usable keys and unusable ones with their reason. The
 * highest version is the active one, even when it is unusable (encryption then fails rather than
 * fall back to an older version). `whenMissing` is the answer for a version that is not listed.
 */
export function createOrgKeys(orgId: string, versions: ReadonlyArray<DataKey | UnavailableVersion>, whenMissing?: KeyProblem): OrgKeys {
  const byVersion = new Map<number, DataKey | KeyProblem>();
  for (const v of versions) byVersion.set(v.version, 'problem' in v ? v.problem : v);
  const highest = Math.max(0, ...byVersion.keys());
  const known = [...byVersion.keys()].sort((a, b) => a - b);
  const missing = (version: number): KeyProblem =>
    whenMissing ?? {
      scope: 'version',
      reason: `org ${JSON.stringify(orgId)} has no data key version ${version} (${known.length === 0 ? 'it has none' : `it has ${known.join(', ')}`})`,
    };
  return Object.freeze({
    orgId,
    active: highest > 0 ? byVersion.get(highest)! : missing(1),
    key: (version: number) => byVersion.get(version) ?? missing(version),
  });
}
