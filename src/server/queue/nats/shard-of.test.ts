import { describe, expect, it } from 'vitest';
import { shardOf } from './shard-of.js';

describe('shard of an org', () => {
  it('is FNV-1a (32 bit) of the UTF-8 bytes modulo the shard count, the same in every process', () => {
    // FNV-1a reference values: "" = 0x811c9dc5, "a" = 0xe40c292c, "foobar" = 0xbf9cf968
    expect(shardOf('', 2 ** 31)).toBe(0x811c9dc5 % 2 ** 31);
    expect(shardOf('a', 1_000)).toBe(0xe40c292c % 1_000);
    expect(shardOf('foobar', 97)).toBe(0xbf9cf968 % 97);
    expect(shardOf('集群', 1_024)).toBe(0xd14330f0 % 1_024);
  });

  it('spreads orgs over the shards', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8_000; i++) counts[shardOf(`org_${i}`, 8)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });
});
