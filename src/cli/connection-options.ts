import { Option, type Command } from 'commander';
import { AuditrailError } from '../core/errors.js';
import { createApiClient, type ApiClient } from './api-client.js';
import type { CliContext } from './cli-context.js';

export const DEFAULT_URL = 'http://127.0.0.1:7070';

export interface ConnectionFlags {
  readonly url?: string;
  readonly key?: string;
}

/** --url and --key, shared by the commands that talk to a running server. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--url <url>', `server address (env AUDITRAIL_URL, default ${DEFAULT_URL})`))
    .addOption(new Option('--key <key>', 'API key (env AUDITRAIL_API_KEY); prefer the variable: flags show up in `ps`'));
}

export function connect(flags: ConnectionFlags, ctx: CliContext, timeoutMs?: number): ApiClient {
  const key = flags.key ?? ctx.env.AUDITRAIL_API_KEY;
  if (!key) throw new AuditrailError('UNAUTHENTICATED', 'no API key: set AUDITRAIL_API_KEY or pass --key (the server printed an admin key on its first start)');
  return createApiClient({ url: flags.url ?? ctx.env.AUDITRAIL_URL ?? DEFAULT_URL, key, ...(timeoutMs ? { timeoutMs } : {}) });
}
