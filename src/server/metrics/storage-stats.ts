/**
 * An optional capability of a storage backend: how big it is. The server's /metrics reports it
 * when present (PostgreSQL: pg_total_relation_size over the partitions; files: segment sizes).
 */
export interface StorageStats {
  readonly bytes?: number;
  readonly partitions?: number;
}

export interface StorageStatsSource {
  storageStats?(): Promise<StorageStats>;
}
