import { z } from 'zod';
import { DEFAULT_ENCRYPTED_FIELDS, ENCRYPTABLE_FIELDS } from '../../encryption/field-paths.js';

/**
 * The server configuration: one YAML file whose `audit:` section is seed 002's (enabled, database
 * pool, async pipeline, retention), plus auditrail's own sections. Every leaf key has a default
 * and an environment variable (see env-vars.ts); docs/configuration.md lists them all and a test
 * keeps it in step with this schema.
 */

const DURATION_RE = /^(\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Go-style duration ("1h", "30m", "1h30m", "500ms") or a whole number of milliseconds. */
const Duration = z
  .union([z.number().int().min(0), z.string().regex(DURATION_RE, 'must be a duration like "1h", "30m", "45s" or "500ms"')])
  .transform((v) => (typeof v === 'number' ? v : durationMs(v)));

function durationMs(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Math.round(ms);
}

const int = (min: number, max: number = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);
/** A nested section whose own defaults apply when the section is absent. */
const section = <T extends z.ZodRawShape>(shape: T) => {
  const object = z.object(shape).strict();
  return object.prefault({} as z.input<typeof object>);
};

export const STORAGE_TYPES = ['auto', 'memory', 'file', 'pglite', 'postgres'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const SERVER_ROLES = ['all', 'ingest', 'writer'] as const;
export const QUEUE_TYPES = ['memory', 'nats'] as const;

export const ConfigSchema = z
  .object({
    audit: section({
      enabled: z.boolean().default(true).describe('Accept records. When false, POST /v1/events answers 503 AUDITRAIL_ERR_INGEST_DISABLED; queries keep working.'),
      database: section({
        driver: z.enum(['postgres']).default('postgres').describe('Seed compatibility; only postgres.'),
        url: z.string().default('').describe('Connection URL; when set it wins over host/port/user/password/dbname/sslmode.'),
        host: z.string().min(1).default('localhost').describe('PostgreSQL host.'),
        port: int(1, 65_535).default(5432).describe('PostgreSQL port.'),
        user: z.string().min(1).default('postgres').describe('PostgreSQL user.'),
        password: z.string().default('').describe('PostgreSQL password (prefer the environment variable).'),
        dbname: z.string().min(1).default('auditrail').describe('PostgreSQL database name.'),
        sslmode: z.enum(SSL_MODES).default('disable').describe('libpq sslmode.'),
        max_open_conns: int(1, 1000).default(10).describe('Pool size: most connections open at once.'),
        max_idle_conns: int(0, 1000).default(5).describe('Connections kept open when idle.'),
        conn_max_lifetime: Duration.prefault('1h').describe('Recycle a connection after this long ("1h", "30m", or milliseconds).'),
      }),
      async: section({
        workers: int(1, 64).default(4).describe('Writers draining the write queue in parallel (one org is only ever written by one writer at a time).'),
        queue_size: int(1, 10_000_000).default(10_000).describe('Records waiting to be written, at most; beyond it POST /v1/events answers 503 with Retry-After.'),
        batch_size: int(1, 100_000).default(500).describe('Records per storage write, at most (whole requests are never split).'),
        batch_interval_ms: int(0, 60_000).default(0).describe('Longest a record waits for more records to fill its batch; 0 (default) writes as soon as a writer is free, and what arrives meanwhile is written together.'),
      }),
      retention: section({
        days: int(0, 36_500).default(90).describe('Days records are kept; 0 keeps them forever.'),
        auto_cleanup: z.boolean().default(true).describe('Run retention every day at cleanup_time.'),
        cleanup_time: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be "HH:MM" (24-hour, server local time)')
          .default('03:00')
          .describe('Time of day (HH:MM, server local time) of the retention run.'),
      }),
    }),
    server: section({
      host: z.string().min(1).default('127.0.0.1').describe('Address to listen on (0.0.0.0 for all interfaces).'),
      port: int(0, 65_535).default(7070).describe('Port to listen on (0 picks a free one).'),
      shutdown_timeout_ms: int(0, 600_000).default(30_000).describe('On SIGTERM/SIGINT, how long to wait for in-flight requests and the queue to drain.'),
      role: z.enum(SERVER_ROLES).default('all').describe('all: one process does everything; with queue.type nats, ingest: HTTP API that publishes records to JetStream, writer: consumes shards and writes them to storage (docs/deployment.md).'),
    }),
    queue: section({
      type: z.enum(QUEUE_TYPES).default('memory').describe('memory: the in-process write queue (one machine); nats: NATS JetStream between ingest nodes and writers (docs/deployment.md).'),
      nats: section({
        servers: z.string().min(1).default('nats://127.0.0.1:4222').describe('NATS server URLs, comma-separated.'),
        stream: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('AUDITRAIL_RECORDS').describe('JetStream stream holding records until a writer committed them (file storage, work-queue retention).'),
        subject_prefix: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'dot-separated tokens').default('auditrail.records').describe('Records of shard n are published to <subject_prefix>.<n>.'),
        consumer: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('auditrail-writer').describe('Durable pull consumer name prefix: shard n is consumed by <consumer>-<n>.'),
        shards: int(1, 1024).default(8).describe('Org shards: an org goes to shard fnv1a(org) mod shards, written by one writer at a time. Change it only with the stream drained.'),
        replicas: int(1, 5).default(1).describe('Stream and lease bucket replicas (3 in a production NATS cluster).'),
        max_messages: int(1_000).default(1_000_000).describe('Most records the stream holds; beyond it POST /v1/events answers 503 QUEUE_FULL (writers behind or down). Never a byte limit: see docs/deployment.md.'),
        duplicate_window_ms: int(1_000, 86_400_000).default(120_000).describe('JetStream duplicate window on Nats-Msg-Id (the record id); beyond it the database deduplicates.'),
        ack_wait_ms: int(1_000, 3_600_000).default(30_000).describe('A delivery not acknowledged for this long is redelivered (a writer extends it while writing).'),
        lease_ttl_ms: int(1_000, 600_000).default(10_000).describe('A shard lease not renewed for this long is taken over by another writer.'),
        publish_timeout_ms: int(100, 600_000).default(5_000).describe('Longest an ingest node waits for JetStream to acknowledge a publish (then 503).'),
      }),
    }),
    storage: section({
      type: z.enum(STORAGE_TYPES).default('auto').describe('memory, file, pglite or postgres; auto = postgres when a database is configured, else embedded storage in data_dir.'),
      data_dir: z.string().min(1).default('./.auditrail').describe('Folder of the embedded storage and of the API key file.'),
    }),
    encryption: section({
      enabled: z.boolean().default(false).describe('Encrypt the chosen fields of new records (AES-256-GCM, per-org data keys wrapped by the master key; docs/encryption.md). Needs a master key and PGlite or PostgreSQL storage.'),
      master_key: z.string().default('').describe('The master key: 64 hex digits or base64 of 32 bytes. Prefer master_key_file. Never logged.'),
      master_key_file: z.string().default('').describe('File holding the master key (mode 0400). Unreadable at start: the server does not start (ENCRYPTION_KEY_UNAVAILABLE).'),
      previous_master_key_files: z.string().default('').describe('Older master keys, comma-separated files, only to unwrap data keys not yet re-wrapped (rotation).'),
      fields: z
        .string()
        .default(DEFAULT_ENCRYPTED_FIELDS.join(','))
        .refine((v) => v.split(',').every((f) => (ENCRYPTABLE_FIELDS as readonly string[]).includes(f.trim())), { message: `each comma-separated field must be one of ${ENCRYPTABLE_FIELDS.join(', ')}` })
        .describe('Fields of new records to encrypt, comma-separated.'),
      orgs: z.string().min(1).default('all').describe('all, or the comma-separated orgs whose new records are encrypted.'),
      key_cache_ttl_ms: int(0, 86_400_000).default(60_000).describe('How long unwrapped data keys are cached; a rotation elsewhere is seen within it.'),
    }),
    redaction: section({
      enabled: z
        .boolean()
        .default(true)
        .describe("Redact every record on the server before it is queued (so before it is stored and chained), with its org's policy (docs/redaction.md). false stores records as sent."),
      policy_file: z
        .string()
        .default('')
        .describe('YAML file of redaction policies: default: (every org) and orgs: (org id -> its own policy), read and validated at start. Empty = the built-in default policy (every detector on) for every org.'),
    }),
    integrity: section({
      signing_key_file: z
        .string()
        .default('')
        .describe('Ed25519 private keys (PKCS#8 PEM) that sign checkpoints: the first signs, the others (older) still verify. Empty = data_dir/integrity/signing-key.pem, created on first start.'),
      checkpoint_log: z.string().default('').describe('The external checkpoint log, one signed checkpoint per line; put it where the database superuser cannot write. Empty = data_dir/integrity/checkpoints.log.'),
      checkpoint_every_records: int(1, 10_000_000).default(1000).describe("Cut a signed checkpoint of an org's chain once this many records wait."),
      checkpoint_every_ms: int(1, 86_400_000).default(60_000).describe('... or once the oldest record without a checkpoint is this old.'),
      idle_checkpoint_every_ms: int(1, 604_800_000).default(900_000).describe('With nothing new, re-sign the unchanged head this often (proves the chain was not cut back).'),
    }),
    limits: section({
      max_body_bytes: int(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024).describe('Largest request body, after gzip decompression (413 beyond).'),
      max_batch_records: int(1, 100_000).default(1000).describe('Most records in one POST /v1/events (413 beyond).'),
      max_string_length: int(1, 1_048_576).default(1_048_576).describe('Longest string value in a record, in characters (413 beyond).'),
      max_depth: int(1, 32).default(32).describe('Deepest nesting inside a record, the record itself being level 1 (422 beyond).'),
    }),
    auth: section({
      bootstrap_admin: z.boolean().default(true).describe('On a first start with no API keys, create an admin key for bootstrap_org and print it once.'),
      bootstrap_org: z.string().min(1).max(256).default('default').describe('Org of the bootstrap admin key.'),
      key_cache_ttl_ms: int(0, 300_000).default(5_000).describe('How long a verified key is cached; a revoked key stops working within this time.'),
      public_metrics: z.boolean().default(true).describe('Serve /metrics without an API key (bind to a private address when true).'),
    }),
    rate_limit: section({
      enabled: z.boolean().default(true).describe('Limit requests per API key (token bucket; 429 with Retry-After).'),
      requests_per_second: int(1, 1_000_000).default(100).describe('Sustained requests per second per key.'),
      burst: int(1, 1_000_000).default(200).describe('Requests a key may send at once before being limited.'),
    }),
    logging: section({
      level: z.enum(LOG_LEVELS).default('info').describe('pino log level.'),
    }),
  })
  .strict();

/** The validated configuration as read (storage.type may still be `auto`). */
export type ParsedConfig = z.output<typeof ConfigSchema>;
export type StorageType = Exclude<(typeof STORAGE_TYPES)[number], 'auto'>;

/** The configuration the server runs with: frozen, defaults applied, storage type resolved. */
export type AuditrailConfig = Omit<ParsedConfig, 'storage'> & {
  readonly storage: { readonly type: StorageType; readonly data_dir: string };
};
