import { Command } from 'commander';
import { AuditrailError } from '../../core/errors.js';
import type { FieldEncryption } from '../../encryption/field-encryption.js';
import { CONFIG_FILE_ENV } from '../../server/config/env-vars.js';
import { println, type CliContext } from '../cli-context.js';
import { withLocalBackends } from '../local-backends.js';
import { renderTable } from '../output/table.js';

interface Flags {
  readonly config?: string;
  readonly json?: boolean;
}

/** Opens the configured storage and its field encryption (which needs a master key for all but `list`). */
function withEncryption<T>(flags: Flags, ctx: CliContext, fn: (e: FieldEncryption) => Promise<T>): Promise<T> {
  return withLocalBackends(flags.config, ctx, async (backends, config) => {
    if (!backends.encryption) throw new AuditrailError('CONFIG_INVALID', `storage.type ${config.storage.type} keeps no encryption keys: encryption needs PGlite or PostgreSQL`);
    return fn(backends.encryption);
  });
}

const configOption = (cmd: Command) => cmd.option('-c, --config <file>', `configuration naming the database and the master key (env ${CONFIG_FILE_ENV}, AUDITRAIL_ENCRYPTION_*)`);

/** `auditrail keys encryption list|rotate|rewrap|destroy`: the data keys of field encryption (docs/encryption.md). */
export function encryptionKeysCommand(ctx: CliContext): Command {
  const cmd = new Command('encryption')
    .summary('list, rotate, re-wrap and destroy the data keys of field encryption')
    .description(
      'Field encryption (docs/encryption.md) seals chosen fields under a per-org data key wrapped by the master\n' +
        'key. These commands open the configured database directly (PostgreSQL; PGlite only while the server is\n' +
        'stopped). Rotation never rewrites stored records: each record names the key version it was sealed with.',
    );
  cmd.addCommand(
    configOption(new Command('list'))
      .description("list an org's data key versions")
      .requiredOption('--org <org>', 'the org')
      .option('--json', 'print JSON')
      .addHelpText('after', '\nExamples:\n  $ auditrail keys encryption list --org acme')
      .action(async (flags: Flags & { org: string }) => {
        const keys = await withEncryption(flags, ctx, (e) => e.describeKeys(flags.org));
        if (flags.json) return println(ctx.stdout, JSON.stringify(keys, null, 2));
        if (keys.length === 0) return println(ctx.stdout, `org ${flags.org} has no data key yet (one is made with its first encrypted record)`);
        println(
          ctx.stdout,
          renderTable(
            [
              { header: 'VERSION', value: (k) => String(k.version) },
              { header: 'ACTIVE', value: (k) => (k.active ? 'yes' : '') },
              { header: 'MASTER KEY', value: (k) => k.kekId ?? '(destroyed)' },
              { header: 'CREATED', value: (k) => k.createdAt },
              { header: 'DESTROYED', value: (k) => k.destroyedAt ?? '' },
            ],
            keys,
            ctx.stdout.columns ?? 120,
          ),
        );
      }),
  );
  cmd.addCommand(
    configOption(new Command('rotate'))
      .description("start a new data key version for an org: new records use it, old ones keep theirs")
      .requiredOption('--org <org>', 'the org')
      .addHelpText('after', '\nExamples:\n  $ auditrail keys encryption rotate --org acme')
      .action(async (flags: Flags & { org: string }) => {
        const version = await withEncryption(flags, ctx, (e) => e.rotateDataKey(flags.org));
        println(ctx.stdout, `org ${flags.org}: new records are now sealed under data key version ${version} (running servers see it within encryption.key_cache_ttl_ms)`);
      }),
  );
  cmd.addCommand(
    configOption(new Command('rewrap'))
      .description('re-wrap every data key under the active master key (after a master key rotation); no record is touched')
      .addHelpText('after', '\nExamples:\n  $ AUDITRAIL_ENCRYPTION_MASTER_KEY_FILE=new.key AUDITRAIL_ENCRYPTION_PREVIOUS_MASTER_KEY_FILES=old.key auditrail keys encryption rewrap')
      .action(async (flags: Flags) => {
        const report = await withEncryption(flags, ctx, (e) => e.rewrapDataKeys());
        println(ctx.stdout, `re-wrapped ${report.rewrapped} data keys, ${report.current} already current, ${report.failed.length} failed`);
        for (const f of report.failed) println(ctx.stdout, `  org ${f.orgId} version ${f.version}: ${f.reason}`);
        if (report.failed.length > 0) throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `${report.failed.length} data keys could not be re-wrapped (listed above)`);
      }),
  );
  cmd.addCommand(
    configOption(new Command('destroy'))
      .description('destroy one data key version (crypto-shredding): the records sealed under it can never be read again')
      .requiredOption('--org <org>', 'the org')
      .requiredOption('--key-version <n>', 'the data key version')
      .option('--yes', 'confirm: the records sealed under this version become unreadable, forever')
      .addHelpText('after', '\nExamples:\n  $ auditrail keys encryption destroy --org acme --key-version 1 --yes')
      .action(async (flags: Flags & { org: string; keyVersion: string; yes?: boolean }) => {
        const version = Number(flags.keyVersion);
        if (!Number.isInteger(version) || version < 1) throw new AuditrailError('REQUEST_INVALID', `--key-version must be a key version (1, 2, …); got ${JSON.stringify(flags.keyVersion)}`);
        if (!flags.yes) throw new AuditrailError('REQUEST_INVALID', `destroying org ${flags.org}'s data key version ${version} makes every record sealed under it unreadable forever: add --yes to confirm`);
        const destroyed = await withEncryption(flags, ctx, (e) => e.destroyDataKey(flags.org, version));
        println(ctx.stdout, destroyed ? `org ${flags.org}: data key version ${version} destroyed` : `org ${flags.org}: data key version ${version} was already destroyed or does not exist`);
      }),
  );
  return cmd;
}
