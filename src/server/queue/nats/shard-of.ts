const encoder = new TextEncoder();

/**
 * The shard of an org: FNV-1a (32 bit) of its UTF-8 bytes, modulo the shard count. Stable across
 * processes, versions and languages, so every ingest node sends an org to the same shard, and
 * therefore to the one writer that owns it.
 */
export function shardOf(orgId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(orgId)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}
