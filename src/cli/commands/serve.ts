import { Command, Option } from 'commander';
import { pino } from 'pino';
import { SERVER_ROLES, STORAGE_TYPES } from '../../server/config/config-schema.js';
import { CONFIG_FILE_ENV } from '../../server/config/env-vars.js';
import { ensureBootstrapKey, loadConfig, openBackends, createAuditrailServer } from '../../server/index.js';
import type { NatsWriteQueue } from '../../server/queue/nats/nats-write-queue.js';
import { orgRedactorsFromConfig } from '../../server/ingest/org-redactors.js';
import { checkRole, openClusterQueue } from '../../server/roles/cluster-roles.js';
import { println, type CliContext } from '../cli-context.js';
import { seedDemo } from '../demo/seed-demo.js';
import { EMBEDDED_STORAGE } from '../embedded-storage.js';
import { packageVersion } from '../version.js';
import { printQueue, serveWriter } from './serve-cluster.js';

interface ServeFlags {
  readonly config?: string;
  readonly host?: string;
  readonly port?: string;
  readonly storage?: string;
  readonly dataDir?: string;
  readonly demo?: boolean;
  readonly role?: string;
}

/** Storage diagnostics that are the storage working as meant, logged at info (the others at warn). */
const ROUTINE: ReadonlySet<string> = new Set(['retention-day', 'chain-resumed']);

export function serveCommand(ctx: CliContext): Command {
  return new Command('serve')
    .summary('start the auditrail server')
    .description(
      'Start the auditrail server: ingestion (POST /v1/events), queries, export, metrics, API docs at /docs.\n' +
        'With no configuration it listens on 127.0.0.1:7070 with embedded storage in ./.auditrail and, on its\n' +
        'first start, prints an admin API key (shown once). With a config file or AUDITRAIL_* variables that\n' +
        'name a database (or DATABASE_URL) it runs on PostgreSQL. Stop it with Ctrl-C or SIGTERM: it finishes\n' +
        'the requests in flight and writes everything it acknowledged before exiting.',
    )
    .option('-c, --config <file>', `YAML configuration file (env ${CONFIG_FILE_ENV}); keys in docs/configuration.md`)
    .option('--host <host>', 'address to listen on (env AUDITRAIL_HOST, default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (env AUDITRAIL_PORT, default 7070; 0 = any free port)')
    .addOption(new Option('--storage <type>', 'storage backend (env AUDITRAIL_STORAGE_TYPE)').choices(STORAGE_TYPES))
    .option('--demo', "on the first start with embedded storage, fill the new org with the demo agent's audited runs (what `npm start` does)")
    .option('--data-dir <dir>', 'folder of embedded storage and keys (env AUDITRAIL_DATA_DIR, default ./.auditrail)')
    .addOption(new Option('--role <role>', 'with queue.type nats: ingest (API, publishes to JetStream), writer (writes shards to PostgreSQL) or all (env AUDITRAIL_ROLE; docs/deployment.md)').choices(SERVER_ROLES))
    .addHelpText('after', '\nExamples:\n  $ auditrail serve\n  $ auditrail serve --port 8080 --data-dir /var/lib/auditrail\n  $ DATABASE_URL=postgres://auditrail@db/auditrail auditrail serve\n  $ auditrail serve --config auditrail.yaml')
    .action(async (flags: ServeFlags) => {
      await serve(flags, ctx);
    });
}

async function serve(flags: ServeFlags, ctx: CliContext): Promise<void> {
  // flags are the most specific source: they override the environment, which overrides the file
  const env = {
    ...ctx.env,
    ...(flags.host ? { AUDITRAIL_HOST: flags.host } : {}),
    ...(flags.port ? { AUDITRAIL_PORT: flags.port } : {}),
    ...(flags.storage ? { AUDITRAIL_STORAGE_TYPE: flags.storage } : {}),
    ...(flags.dataDir ? { AUDITRAIL_DATA_DIR: flags.dataDir } : {}),
    ...(flags.role ? { AUDITRAIL_ROLE: flags.role } : {}),
  };
  const file = flags.config ?? ctx.env[CONFIG_FILE_ENV];
  const { config, warnings } = await loadConfig({ ...(file ? { file } : {}), env, embeddedStorage: EMBEDDED_STORAGE });
  for (const w of warnings) println(ctx.stderr, `warning: ${w}`);
  checkRole(config);
  // the redaction policies are read and validated before anything is opened: a bad policy file
  // stops the start with every problem listed (CONFIG_INVALID). Writers use none: ingest redacted.
  const redactors = orgRedactorsFromConfig(config);
  println(ctx.stderr, `auditrail: opening ${config.storage.type} storage${config.storage.type === 'pglite' ? ' (embedded PostgreSQL; the first start creates the database, allow a few seconds)' : ''}…`);
  const logger = pino({ level: config.logging.level, base: { service: 'auditrail', role: config.server.role } });
  const backends = await openBackends(config, { onDiagnostic: (d) => logger[ROUTINE.has(d.type) ? 'info' : 'warn']({ diagnostic: d }, `storage: ${d.type}`) });
  if (config.server.role === 'writer') {
    installSignalHandlers(await serveWriter(config, backends, logger, ctx), ctx);
    return;
  }
  let queue: NatsWriteQueue | undefined;
  try {
    queue = config.queue.type === 'nats' ? await openClusterQueue({ config, storage: backends.storage, log: logger }) : undefined;
  } catch (err) {
    await backends.storage.close();
    await backends.keyStore.close();
    throw err;
  }
  const bootstrap = await ensureBootstrapKey(config, backends.keyStore);
  const server = createAuditrailServer({ config, storage: backends.storage, keyStore: backends.keyStore, version: packageVersion(), logger, redactors, ...(queue ? { queue } : {}), ...(backends.encryption ? { encryption: backends.encryption } : {}) });
  let url: string;
  try {
    url = await server.listen();
  } catch (err) {
    await server.close();
    throw err;
  }
  println(ctx.stdout, `auditrail ${packageVersion()} listening on ${url}`);
  println(ctx.stdout, `  storage: ${config.storage.type} (${backends.location})`);
  if (config.encryption.enabled) println(ctx.stdout, `  encryption: on (${config.encryption.fields})`);
  println(ctx.stdout, `  redaction: ${redactors.summary}`);
  if (queue) {
    queue.announce(url);
    printQueue(config, queue, ctx);
  }
  println(ctx.stdout, `  API docs: ${url}/docs   metrics: ${url}/metrics`);
  if (bootstrap && flags.demo) {
    const n = await seedDemo(backends.storage, bootstrap.orgId);
    println(ctx.stdout, `  demo: recorded ${n} interactions of the demo agent (actions, approvals, a denial, a failure) in org "${bootstrap.orgId}"`);
  }
  println(ctx.stdout, `  dashboard: ${bootstrap ? `${url}/#key=${bootstrap.token}` : `${url}/ (sign in with an API key that has the read scope)`}`);
  if (bootstrap) {
    println(ctx.stdout, '');
    println(ctx.stdout, `  First start: created an admin API key for org "${bootstrap.orgId}". It is shown only now (only its hash is stored):`);
    println(ctx.stdout, '');
    println(ctx.stdout, `    export AUDITRAIL_API_KEY=${bootstrap.token}`);
    println(ctx.stdout, '');
    println(ctx.stdout, `  Then: auditrail keys create --org ${bootstrap.orgId} --scope ingest,read   (a key for your agents)`);
  }
  installSignalHandlers(() => server.close(), ctx);
}

function installSignalHandlers(close: () => Promise<void>, ctx: CliContext): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      println(ctx.stderr, `${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    println(ctx.stderr, `${signal}: stopping (finishing requests in flight, writing the queue)…`);
    close().then(
      () => {
        println(ctx.stderr, 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        println(ctx.stderr, `error while stopping: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
