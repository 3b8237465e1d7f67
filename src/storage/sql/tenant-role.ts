import { createHash } from 'node:crypto';

/**
 * The reader role of migration 0400. Roles are shared by every database of a PostgreSQL server,
 * so each auditrail database has its own: `auditrail_reader_` and the first 16 hex digits of the
 * md5 of the database's name.
 */
export const TENANT_ROLE_SQL = `'auditrail_reader_' || substr(md5(current_database()), 1, 16)`;

/** The same name computed here (tests, operators, dropping a database's role). */
export function tenantRoleName(database: string): string {
  return `auditrail_reader_${createHash('md5').update(database, 'utf8').digest('hex').slice(0, 16)}`;
}
