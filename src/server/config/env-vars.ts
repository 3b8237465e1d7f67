/**
 * The environment variable of every configuration key. Seed-002 keys drop their `audit.` prefix
 * (AUDITRAIL_ASYNC_QUEUE_SIZE), server.* and limits.* drop theirs (AUDITRAIL_PORT,
 * AUDITRAIL_MAX_BODY_BYTES). A test checks that every schema leaf has one and that
 * docs/configuration.md lists them.
 */
export const ENV_VARS: Readonly<Record<string, string>> = Object.freeze({
  'audit.enabled': 'AUDITRAIL_ENABLED',
  'audit.database.driver': 'AUDITRAIL_DATABASE_DRIVER',
  'audit.database.url': 'AUDITRAIL_DATABASE_URL',
  'audit.database.host': 'AUDITRAIL_DATABASE_HOST',
  'audit.database.port': 'AUDITRAIL_DATABASE_PORT',
  'audit.database.user': 'AUDITRAIL_DATABASE_USER',
  'audit.database.password': 'AUDITRAIL_DATABASE_PASSWORD',
  'audit.database.dbname': 'AUDITRAIL_DATABASE_DBNAME',
  'audit.database.sslmode': 'AUDITRAIL_DATABASE_SSLMODE',
  'audit.database.max_open_conns': 'AUDITRAIL_DATABASE_MAX_OPEN_CONNS',
  'audit.database.max_idle_conns': 'AUDITRAIL_DATABASE_MAX_IDLE_CONNS',
  'audit.database.conn_max_lifetime': 'AUDITRAIL_DATABASE_CONN_MAX_LIFETIME',
  'audit.async.workers': 'AUDITRAIL_ASYNC_WORKERS',
  'audit.async.queue_size': 'AUDITRAIL_ASYNC_QUEUE_SIZE',
  'audit.async.batch_size': 'AUDITRAIL_ASYNC_BATCH_SIZE',
  'audit.async.batch_interval_ms': 'AUDITRAIL_ASYNC_BATCH_INTERVAL_MS',
  'audit.retention.days': 'AUDITRAIL_RETENTION_DAYS',
  'audit.retention.auto_cleanup': 'AUDITRAIL_RETENTION_AUTO_CLEANUP',
  'audit.retention.cleanup_time': 'AUDITRAIL_RETENTION_CLEANUP_TIME',
  'server.host': 'AUDITRAIL_HOST',
  'server.port': 'AUDITRAIL_PORT',
  'server.shutdown_timeout_ms': 'AUDITRAIL_SHUTDOWN_TIMEOUT_MS',
  'server.role': 'AUDITRAIL_ROLE',
  'queue.type': 'AUDITRAIL_QUEUE_TYPE',
  'queue.nats.servers': 'AUDITRAIL_NATS_SERVERS',
  'queue.nats.stream': 'AUDITRAIL_NATS_STREAM',
  'queue.nats.subject_prefix': 'AUDITRAIL_NATS_SUBJECT_PREFIX',
  'queue.nats.consumer': 'AUDITRAIL_NATS_CONSUMER',
  'queue.nats.shards': 'AUDITRAIL_NATS_SHARDS',
  'queue.nats.replicas': 'AUDITRAIL_NATS_REPLICAS',
  'queue.nats.max_messages': 'AUDITRAIL_NATS_MAX_MESSAGES',
  'queue.nats.duplicate_window_ms': 'AUDITRAIL_NATS_DUPLICATE_WINDOW_MS',
  'queue.nats.ack_wait_ms': 'AUDITRAIL_NATS_ACK_WAIT_MS',
  'queue.nats.lease_ttl_ms': 'AUDITRAIL_NATS_LEASE_TTL_MS',
  'queue.nats.publish_timeout_ms': 'AUDITRAIL_NATS_PUBLISH_TIMEOUT_MS',
  'storage.type': 'AUDITRAIL_STORAGE_TYPE',
  'storage.data_dir': 'AUDITRAIL_DATA_DIR',
  'redaction.enabled': 'AUDITRAIL_REDACTION_ENABLED',
  'redaction.policy_file': 'AUDITRAIL_REDACTION_POLICY_FILE',
  'integrity.signing_key_file': 'AUDITRAIL_SIGNING_KEY_FILE',
  'integrity.checkpoint_log': 'AUDITRAIL_CHECKPOINT_LOG',
  'integrity.checkpoint_every_records': 'AUDITRAIL_CHECKPOINT_EVERY_RECORDS',
  'integrity.checkpoint_every_ms': 'AUDITRAIL_CHECKPOINT_EVERY_MS',
  'integrity.idle_checkpoint_every_ms': 'AUDITRAIL_IDLE_CHECKPOINT_EVERY_MS',
  'limits.max_body_bytes': 'AUDITRAIL_MAX_BODY_BYTES',
  'limits.max_batch_records': 'AUDITRAIL_MAX_BATCH_RECORDS',
  'limits.max_string_length': 'AUDITRAIL_MAX_STRING_LENGTH',
  'limits.max_depth': 'AUDITRAIL_MAX_DEPTH',
  'auth.bootstrap_admin': 'AUDITRAIL_AUTH_BOOTSTRAP_ADMIN',
  'auth.bootstrap_org': 'AUDITRAIL_AUTH_BOOTSTRAP_ORG',
  'auth.key_cache_ttl_ms': 'AUDITRAIL_AUTH_KEY_CACHE_TTL_MS',
  'auth.public_metrics': 'AUDITRAIL_AUTH_PUBLIC_METRICS',
  'rate_limit.enabled': 'AUDITRAIL_RATE_LIMIT_ENABLED',
  'rate_limit.requests_per_second': 'AUDITRAIL_RATE_LIMIT_REQUESTS_PER_SECOND',
  'rate_limit.burst': 'AUDITRAIL_RATE_LIMIT_BURST',
  'logging.level': 'AUDITRAIL_LOG_LEVEL',
});

/** Also read, with lower precedence than its AUDITRAIL_* twin: the conventional variable. */
export const ENV_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'audit.database.url': 'DATABASE_URL',
});

/** Not a key: the path of the configuration file, read by the CLI. */
export const CONFIG_FILE_ENV = 'AUDITRAIL_CONFIG';
