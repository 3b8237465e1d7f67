import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

export interface OpenPgliteOptions {
  /** The PostgreSQL cluster folder (created on first use). */
  readonly pgdataDir: string;
  /**
   * true (default): WAL written with O_DSYNC at every commit, so a committed batch survives a
   * power loss. PGlite's default (`-F`, fsync off) leaves the WAL in the OS page cache: it
   * survives a crash of the process, not of the machine. See docs/storage.md.
   */
  readonly durable: boolean;
}

/**
 * PGlite runs PostgreSQL in single-user mode with fsync off (`-F`). Its Node filesystem has no
 * fsync operation at all (fsync() is a no-op), but it does pass O_SYNC through when a file is
 * opened: with fsync on and wal_sync_method=open_datasync, PostgreSQL opens the WAL segments
 * O_DSYNC, and every WAL write that a commit waits for reaches the disk.
 */
export function pgliteStartParams(durable: boolean): string[] {
  // 16 MB of WAL buffers (PGlite: 4 MB): a batch of a thousand interactions writes several MB of
  // WAL, which then goes out in a few large writes at commit instead of many as the buffers fill
  // (each write waits for the disk when durable).
  const base = [...PGlite.defaultStartParams, '-c', 'wal_buffers=16MB'];
  if (!durable) return base;
  return [...base.filter((p) => p !== '-F'), '-c', 'wal_sync_method=open_datasync'];
}

export async function openPglite(o: OpenPgliteOptions): Promise<PGlite> {
  return PGlite.create({
    dataDir: o.pgdataDir,
    extensions: { pg_trgm },
    startParams: pgliteStartParams(o.durable),
    // int8 as a JavaScript number (counts, durations, tokens), as with node-postgres.
    parsers: { 20: (v: string) => Number(v) },
  });
}
