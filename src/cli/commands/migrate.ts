import { Command } from 'commander';
import { CONFIG_FILE_ENV } from '../../server/config/env-vars.js';
import { connectionString, describeDatabase } from '../../server/database-options.js';
import { loadConfig } from '../../server/index.js';
import { migratePostgres } from '../../storage/postgres/create-postgres-storage.js';
import { println, type CliContext } from '../cli-context.js';
import { EMBEDDED_STORAGE } from '../embedded-storage.js';

export function migrateCommand(ctx: CliContext): Command {
  return new Command('migrate')
    .summary('create or upgrade the database schema')
    .description(
      'Apply the pending schema migrations to the configured database (PostgreSQL or embedded PGlite).\n' +
        'Safe to run twice and from two machines at once; the server also runs it at start.',
    )
    .option('-c, --config <file>', `configuration naming the database (env ${CONFIG_FILE_ENV}, DATABASE_URL, AUDITRAIL_DATABASE_*)`)
    .addHelpText('after', '\nExamples:\n  $ DATABASE_URL=postgres://postgres@127.0.0.1:5432/auditrail auditrail migrate\n  $ auditrail migrate --config auditrail.yaml')
    .action(async (flags: { config?: string }) => {
      const file = flags.config ?? ctx.env[CONFIG_FILE_ENV];
      const { config } = await loadConfig({ ...(file ? { file } : {}), env: ctx.env, embeddedStorage: EMBEDDED_STORAGE });
      if (config.storage.type === 'memory' || config.storage.type === 'file') {
        println(ctx.stdout, `storage.type is ${config.storage.type}: it has no schema, nothing to migrate.`);
        return;
      }
      if (config.storage.type === 'pglite') {
        println(ctx.stdout, 'storage.type pglite: the embedded database is migrated by the server at start.');
        return;
      }
      const target = describeDatabase(config);
      const result = await migratePostgres({ connectionString: connectionString(config) });
      println(
        ctx.stdout,
        result.applied.length === 0 ? `${target}: schema already at version ${result.version}, nothing to do.` : `${target}: applied migrations ${result.applied.join(', ')}; schema at version ${result.version}.`,
      );
    });
}
