/**
 * Advisory lock keys (pg_advisory_xact_lock(LOCK_KEY, n)): 'AUDR' plus one number per concern.
 * 0003_partitions.sql uses (LOCK_KEY, 2) in SQL; keep the two in step.
 */
export const LOCK_KEY = 0x41554452;

export const LOCKS = Object.freeze({
  migrations: 1,
  partitions: 2,
  retention: 3,
});
