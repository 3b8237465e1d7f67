import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configLeaves } from './config-leaves.js';
import { ENV_ALIASES, ENV_VARS } from './env-vars.js';

const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `([a-z_.]+)` \| (.*?) \| `(.*?)` \|/gm)].map((m) => [m[1]!, { env: m[2]!, defaultValue: m[3]! }]),
);

describe('docs/configuration.md', () => {
  it('lists every key with its environment variable and its default', () => {
    for (const leaf of configLeaves()) {
      const row = rows.get(leaf.path);
      expect(row, `${leaf.path} missing from docs/configuration.md`).toBeDefined();
      expect(row!.env, leaf.path).toContain(`\`${ENV_VARS[leaf.path]}\``);
      if (ENV_ALIASES[leaf.path]) expect(row!.env, leaf.path).toContain(`\`${ENV_ALIASES[leaf.path]}\``);
      expect(row!.defaultValue, leaf.path).toBe(JSON.stringify(leaf.defaultValue));
    }
  });

  it('documents no key the schema lacks', () => {
    const known = new Set(configLeaves().map((l) => l.path));
    expect([...rows.keys()].filter((k) => !known.has(k))).toEqual([]);
  });

  it('gives every key a distinct AUDITRAIL_* variable', () => {
    const leaves = configLeaves();
    const vars = leaves.map((l) => ENV_VARS[l.path]);
    expect(vars.every((v) => v?.startsWith('AUDITRAIL_'))).toBe(true);
    expect(new Set(vars).size).toBe(leaves.length);
    expect(Object.keys(ENV_VARS).sort()).toEqual(leaves.map((l) => l.path).sort());
  });
});
