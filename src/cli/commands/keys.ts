import { Command, Option } from 'commander';
import { AuditrailError } from '../../core/errors.js';
import { SCOPES, type ApiKeyInfo, type Scope } from '../../server/auth/key-store.js';
import { CONFIG_FILE_ENV } from '../../server/config/env-vars.js';
import { loadConfig, openKeyStore } from '../../server/index.js';
import { println, type CliContext } from '../cli-context.js';
import { addConnectionOptions, connect, type ConnectionFlags } from '../connection-options.js';
import { EMBEDDED_STORAGE } from '../embedded-storage.js';
import { renderTable } from '../output/table.js';
import { encryptionKeysCommand } from './encryption-keys.js';

interface KeyFlags extends ConnectionFlags {
  readonly config?: string;
  readonly remote?: boolean;
  readonly json?: boolean;
}

function parseScopes(text: string): Scope[] {
  const scopes = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad.length > 0 || scopes.length === 0) throw new AuditrailError('REQUEST_INVALID', `--scope must list ${SCOPES.join(', ')} (comma-separated); got ${JSON.stringify(text)}`);
  return scopes as Scope[];
}

/** Direct mode: the key store of the configuration (the database, or the data folder). */
async function localStore(flags: KeyFlags, ctx: CliContext) {
  const file = flags.config ?? ctx.env[CONFIG_FILE_ENV];
  const { config } = await loadConfig({ ...(file ? { file } : {}), env: ctx.env, embeddedStorage: EMBEDDED_STORAGE });
  return await openKeyStore(config);
}

function withModes(cmd: Command): Command {
  return addConnectionOptions(
    cmd
      .option('-c, --config <file>', `configuration naming the key store (env ${CONFIG_FILE_ENV}); default: ./.auditrail`)
      .option('--remote', "manage the keys of your admin key's org through a running server (--url/--key) instead of the database")
      .option('--json', 'print JSON'),
  );
}

export function keysCommand(ctx: CliContext): Command {
  const keys = new Command('keys')
    .summary('create, list and revoke API keys')
    .description(
      'API keys are bound to one org and carry scopes: ingest (send records), read (query, export), admin\n' +
        '(manage keys). Only a hash is stored; the key itself is shown once, at creation.\n' +
        'By default these commands use the key store directly (the database, or ./.auditrail for embedded\n' +
        'storage), which needs no key. With --remote they go through a running server with an admin key.',
    );

  keys.addCommand(
    withModes(new Command('create'))
      .description('create a key and print it (once)')
      .requiredOption('--org <org>', 'the org the key belongs to (every record and query of the key is in this org)')
      .requiredOption('--scope <scopes>', `comma-separated scopes: ${SCOPES.join(', ')}`)
      .option('--label <text>', 'what the key is for, shown in `keys list`')
      .addHelpText('after', '\nExamples:\n  $ auditrail keys create --org acme --scope ingest            # for an agent\n  $ auditrail keys create --org acme --scope read --label dashboard\n  $ auditrail keys create --org acme --scope ingest,read,admin --remote')
      .action(async (flags: KeyFlags & { org: string; scope: string; label?: string }) => {
        const scopes = parseScopes(flags.scope);
        let created: ApiKeyInfo & { token: string };
        if (flags.remote) {
          const api = connect(flags, ctx);
          const me = await api.get<{ orgId: string }>('/v1/whoami');
          if (me.orgId !== flags.org) throw new AuditrailError('ORG_MISMATCH', `--remote creates keys in the org of your admin key (${me.orgId}), not ${flags.org}; use direct mode for other orgs`);
          created = await api.post('/v1/keys', { scopes, ...(flags.label ? { label: flags.label } : {}) });
        } else {
          const store = await localStore(flags, ctx);
          try {
            const c = await store.create({ orgId: flags.org, scopes, label: flags.label ?? null });
            created = { ...c.key, token: c.token };
          } finally {
            await store.close();
          }
        }
        if (flags.json) return println(ctx.stdout, JSON.stringify(created, null, 2));
        println(ctx.stdout, `Created key ${created.keyId} for org ${created.orgId} (${created.scopes.join(', ')}). It is shown only now:`);
        println(ctx.stdout, '');
        println(ctx.stdout, `  ${created.token}`);
        println(ctx.stdout, '');
        println(ctx.stdout, `Use it as AUDITRAIL_API_KEY, or send it as "Authorization: Bearer <key>".`);
      }),
  );

  keys.addCommand(
    withModes(new Command('list'))
      .description('list keys (never their secrets)')
      .option('--org <org>', 'only the keys of this org (direct mode)')
      .addOption(new Option('--all', 'include revoked keys'))
      .action(async (flags: KeyFlags & { org?: string; all?: boolean }) => {
        let items: ApiKeyInfo[];
        if (flags.remote) items = (await connect(flags, ctx).get<{ items: ApiKeyInfo[] }>('/v1/keys')).items;
        else {
          const store = await localStore(flags, ctx);
          try {
            items = await store.list(flags.org);
          } finally {
            await store.close();
          }
        }
        if (!flags.all) items = items.filter((k) => k.revokedAt === null);
        if (flags.json) return println(ctx.stdout, JSON.stringify(items, null, 2));
        if (items.length === 0) return println(ctx.stdout, 'No keys. Create one: auditrail keys create --org <org> --scope ingest,read');
        println(
          ctx.stdout,
          renderTable(
            [
              { header: 'KEY', value: (k: ApiKeyInfo) => k.keyId },
              { header: 'ORG', value: (k) => k.orgId },
              { header: 'SCOPES', value: (k) => k.scopes.join(',') },
              { header: 'CREATED', value: (k) => k.createdAt },
              { header: 'REVOKED', value: (k) => k.revokedAt },
              { header: 'LABEL', value: (k) => k.label, flexible: true },
            ],
            items,
            ctx.stdout.columns ?? 160,
          ),
        );
      }),
  );

  keys.addCommand(
    withModes(new Command('revoke'))
      .description('revoke a key: it stops working at once on this machine, within auth.key_cache_ttl_ms elsewhere')
      .argument('<keyId>', 'the KEY column of `keys list` (the 16 hex characters after atr_)')
      .action(async (keyId: string, flags: KeyFlags) => {
        let done: boolean;
        if (flags.remote) done = (await connect(flags, ctx).delete<{ revoked: boolean }>(`/v1/keys/${encodeURIComponent(keyId)}`)).revoked;
        else {
          const store = await localStore(flags, ctx);
          try {
            done = await store.revoke(keyId);
          } finally {
            await store.close();
          }
        }
        if (!done) throw new AuditrailError('NOT_FOUND', `no active key ${keyId}`);
        println(ctx.stdout, flags.json ? JSON.stringify({ keyId, revoked: true }) : `Revoked key ${keyId}.`);
      }),
  );
  keys.addCommand(encryptionKeysCommand(ctx));
  return keys;
}
