/**
 * The error catalogue: every error auditrail raises or reports has a stable code, an HTTP status
 * (for the server) and a hint that says how to fix it. docs/errors.md lists them all; a test keeps
 * the two in step. Add new errors here, never inline.
 */
export interface ErrorSpec {
  readonly code: `AUDITRAIL_ERR_${string}`;
  readonly status: number;
  readonly message: string;
  readonly hint: string;
}

function spec(code: `AUDITRAIL_ERR_${string}`, status: number, message: string, hint: string): ErrorSpec {
  return Object.freeze({ code, status, message, hint });
}

export const ERRORS = Object.freeze({
  // options and configuration
  OPTIONS_INVALID: spec('AUDITRAIL_ERR_OPTIONS_INVALID', 500, 'Invalid options', 'Fix the listed options; each problem names the option path and what it expects.'),
  CONFIG_INVALID: spec('AUDITRAIL_ERR_CONFIG_INVALID', 500, 'Invalid configuration', 'Fix every listed key (file, line and key are given) or the AUDITRAIL_* variable that sets it; see docs/configuration.md.'),
  // records
  RECORD_INVALID: spec('AUDITRAIL_ERR_RECORD_INVALID', 422, 'Invalid audit record', 'Send a record that matches the schema at /openapi.json; the issues list names each wrong field.'),
  RECORD_TOO_LARGE: spec('AUDITRAIL_ERR_RECORD_TOO_LARGE', 413, 'Audit record too large', 'Shorten the listed field or raise limits.maxStringLength; large payloads belong in metadata references, not inline.'),
  RECORD_TOO_DEEP: spec('AUDITRAIL_ERR_RECORD_TOO_DEEP', 422, 'Audit record nested too deeply', 'Flatten params/metadata below limits.maxDepth levels, or send the nested part as a JSON string.'),
  ID_CONFLICT: spec('AUDITRAIL_ERR_ID_CONFLICT', 409, 'Record id already used by a different record', 'Ids are idempotency keys: generate a fresh UUIDv7 for every new record, reuse an id only to retry the same record.'),
  // queries
  QUERY_INVALID: spec('AUDITRAIL_ERR_QUERY_INVALID', 400, 'Invalid query', 'Fix the listed query parameters; see the query model in docs/api.md.'),
  REQUEST_INVALID: spec('AUDITRAIL_ERR_REQUEST_INVALID', 400, 'Invalid request', 'Fix the listed fields of the request body or parameters; the expected shapes are in /openapi.json.'),
  CURSOR_INVALID: spec('AUDITRAIL_ERR_CURSOR_INVALID', 400, 'Invalid pagination cursor', 'Pass back the nextCursor value of the previous page unchanged, with the same filters and order.'),
  NOT_FOUND: spec('AUDITRAIL_ERR_NOT_FOUND', 404, 'Not found', 'Check the id and that the record belongs to the org of your API key.'),
  // storage
  STORAGE_CLOSED: spec('AUDITRAIL_ERR_STORAGE_CLOSED', 503, 'Storage is closed', 'Do not use a storage after close(); create a new one.'),
  STORAGE_UNAVAILABLE: spec('AUDITRAIL_ERR_STORAGE_UNAVAILABLE', 503, 'Storage unavailable', 'The write was not stored and may be retried whole; check that the database or disk is reachable and writable.'),
  STORAGE_CORRUPT: spec('AUDITRAIL_ERR_STORAGE_CORRUPT', 500, 'Stored data is corrupt', 'A committed record could not be read back; run `auditrail verify` and restore the named file or partition from backup.'),
  STORAGE_FULL: spec('AUDITRAIL_ERR_STORAGE_FULL', 507, 'Storage full', 'Free disk space, raise maxFiles/maxFileBytes, or enable retention.'),
  STORAGE_WRITE_REJECTED: spec('AUDITRAIL_ERR_STORAGE_WRITE_REJECTED', 500, 'The database refused the batch', 'Nothing of the batch was stored and retrying will not help: the cause names the database error (a value out of range, a missing privilege). Fix it, then resend the batch.'),
  STORAGE_MIGRATION_FAILED: spec('AUDITRAIL_ERR_STORAGE_MIGRATION_FAILED', 500, 'Database migration failed', 'The named migration was rolled back and the schema is still at the previous version; fix the cause (privileges, an edited migration file, a newer schema than this auditrail) and run `auditrail migrate` again.'),
  RETENTION_FAILED: spec('AUDITRAIL_ERR_RETENTION_FAILED', 500, 'Retention run failed', 'Nothing was dropped that was not archived first; fix the cause (archive folder not writable, disk full) and the next run finishes the job.'),
  // sdk pipeline
  LOGGER_SHUT_DOWN: spec('AUDITRAIL_ERR_LOGGER_SHUT_DOWN', 500, 'Record after shutdown', 'Record before calling shutdown(); records made after it are counted as dropped.'),
  QUEUE_FULL: spec('AUDITRAIL_ERR_QUEUE_FULL', 503, 'Queue full', 'Raise maxQueueSize, flush more often, or configure a spool so that bursts go to disk instead of being dropped.'),
  EXPORT_FAILED: spec('AUDITRAIL_ERR_EXPORT_FAILED', 502, 'Export failed', 'Check the sink (storage or server) named in the diagnostic; retryable failures are retried, permanent ones are reported with the cause.'),
  READ_UNSUPPORTED: spec('AUDITRAIL_ERR_READ_UNSUPPORTED', 501, 'This exporter cannot read back', 'queryEvents()/countEvents() need a logger built on a storage (createAuditLogger({ storage })).'),
  SPOOL_FULL: spec('AUDITRAIL_ERR_SPOOL_FULL', 507, 'Spool full', 'The sink has been unreachable (or slower than recording) long enough to fill spool.maxBytes, or the spool write buffer (spool.maxBufferedRecords); records beyond it are dropped and counted in stats().dropReasons.spoolFull. Bring the server back, raise spool.maxBytes, or free disk space.'),
  SPOOL_UNAVAILABLE: spec('AUDITRAIL_ERR_SPOOL_UNAVAILABLE', 500, 'Spool directory unusable', 'The spool could not create, lock, write or fsync its directory (the message names the operation and path); records that needed it were dropped (stats().dropReasons.spoolFailed). Fix the permissions or free space, and use one spool.directory per process.'),
  SPOOL_CORRUPT: spec('AUDITRAIL_ERR_SPOOL_CORRUPT', 500, 'Spool file damaged', 'Bytes of a spool segment failed their checksum and were cut off; the frames before them are kept and replayed. After a crash this is the torn last write and expected; without a crash, check the disk.'),
  // executor
  ACTION_UNKNOWN: spec('AUDITRAIL_ERR_ACTION_UNKNOWN', 404, 'Unknown action', 'Register the action with the executor (or an adapter that provides it) before executing it.'),
  APPROVAL_HOOK_FAILED: spec('AUDITRAIL_ERR_APPROVAL_HOOK_FAILED', 500, 'Approval hook failed', 'The approval hook threw; the action was rejected (fail closed). Fix the hook; its error is in the cause.'),
  APPROVAL_HOOK_MISSING: spec('AUDITRAIL_ERR_APPROVAL_HOOK_MISSING', 500, 'No approval hook for an action that requires approval', 'Pass approvalHook to createActionExecutor(); without one, actions that require approval are rejected.'),
  MCP_TOOL_FAILED: spec('AUDITRAIL_ERR_MCP_TOOL_FAILED', 502, 'The MCP tool answered with an error (isError)', 'The tool ran on the MCP server and reported a failure; the message is the text of its result, recorded as action_failed. Fix the call (arguments) or the tool; the result itself is in the cause.'),
  // redaction
  REDACTION_FAILED: spec('AUDITRAIL_ERR_REDACTION_FAILED', 500, 'Redaction failed', 'Nothing was kept in clear: the named fields were stored as [REDACTION_FAILED] (the server also logs them with this code and counts them in auditrail_redaction_failures_total; a Redactor of another implementation that throws gets every free-text field replaced on the server, and the record not sent by the SDK). A detector threw or the per-record time budget (timeBudgetMs) ran out; fix or remove the custom rule named in the diagnostic (in the redaction option of the SDK or the redaction.policy_file of the server), or raise timeBudgetMs for very large records.'),
  // encryption at rest (src/encryption)
  ENCRYPTION_KEY_UNAVAILABLE: spec('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE', 503, 'The key needed to encrypt or decrypt is unavailable', 'Nothing was stored in clear and nothing was decrypted: the message names the org, the data key version and why (no master key configured, the data key is wrapped by a master key that is not configured, a wrong or damaged master key, a destroyed data key version, or the key store unreachable). Configure the master key that wrapped it (encryption.master_key or master_key_file, and previous_master_keys while rotating); a destroyed version cannot come back. See docs/encryption.md.'),
  DECRYPT_FAILED: spec('AUDITRAIL_ERR_DECRYPT_FAILED', 500, 'An encrypted field failed to decrypt', 'The stored ciphertext of the named record and field does not authenticate under its key: it was changed, or copied from another record, field or org. Nothing is returned in its place; run `auditrail verify` for the org (it needs no keys) to locate the change, and restore the row from backup. See docs/encryption.md.'),
  SEARCH_UNAVAILABLE: spec('AUDITRAIL_ERR_SEARCH_UNAVAILABLE', 400, 'Full-text search is unavailable: questions and answers of this org are encrypted at rest', 'Encrypted fields cannot be searched (the database holds only ciphertext). Filter by session, user, agent, model, status or time instead, or stop encrypting question and finalAnswer (encryption.fields) for records written from then on. See docs/encryption.md.'),
  // server: requests, auth, operations
  BODY_TOO_LARGE: spec('AUDITRAIL_ERR_BODY_TOO_LARGE', 413, 'Request body too large', 'Send smaller batches: the body (after gzip decompression) must stay under limits.max_body_bytes; split the batch or raise the limit.'),
  BATCH_TOO_LARGE: spec('AUDITRAIL_ERR_BATCH_TOO_LARGE', 413, 'Too many records in one request', 'Send at most limits.max_batch_records records per request (the SDK splits batches for you), or raise the limit.'),
  BODY_MALFORMED: spec('AUDITRAIL_ERR_BODY_MALFORMED', 400, 'Malformed request body', 'Send a JSON array of records, {"records": [...]}, or NDJSON (one record per line) with Content-Type application/x-ndjson; the message names the line or position.'),
  BODY_ENCODING_INVALID: spec('AUDITRAIL_ERR_BODY_ENCODING_INVALID', 400, 'Request body is not valid UTF-8 or not valid gzip', 'Encode the body as UTF-8; when you send Content-Encoding: gzip, send a complete gzip stream. Only gzip and identity are accepted.'),
  MEDIA_TYPE_UNSUPPORTED: spec('AUDITRAIL_ERR_MEDIA_TYPE_UNSUPPORTED', 415, 'Unsupported media type', 'Use Content-Type application/json or application/x-ndjson, and Content-Encoding gzip or none.'),
  BODY_FORBIDDEN_KEY: spec('AUDITRAIL_ERR_BODY_FORBIDDEN_KEY', 400, 'Forbidden key in request body', 'Remove "__proto__" keys and "constructor.prototype" objects from the payload; they are refused so that nothing can pollute object prototypes.'),
  ORG_MISMATCH: spec('AUDITRAIL_ERR_ORG_MISMATCH', 403, 'Record or query names another org than the API key', 'Leave orgId out (the server fills in the org of your API key) or use a key of that org.'),
  UNAUTHENTICATED: spec('AUDITRAIL_ERR_UNAUTHENTICATED', 401, 'Missing, unknown or revoked API key', 'Send a valid key as `Authorization: Bearer <key>` or `x-api-key: <key>`; create one with `auditrail keys create --org <org> --scope ingest,read`.'),
  SCOPE_MISSING: spec('AUDITRAIL_ERR_SCOPE_MISSING', 403, 'API key lacks the scope this endpoint needs', 'Use a key with the scope named in the message (ingest to write, read to query and export, admin to manage keys).'),
  RATE_LIMITED: spec('AUDITRAIL_ERR_RATE_LIMITED', 429, 'Too many requests for this API key', 'Wait for the Retry-After seconds, send fewer larger batches, or raise rate_limit.requests_per_second / rate_limit.burst.'),
  SHUTTING_DOWN: spec('AUDITRAIL_ERR_SHUTTING_DOWN', 503, 'Server is shutting down', 'Retry against another instance or after the restart; the request was not processed.'),
  INGEST_DISABLED: spec('AUDITRAIL_ERR_INGEST_DISABLED', 503, 'Ingestion is disabled on this server', 'Set audit.enabled: true (or AUDITRAIL_ENABLED=true) to accept records; queries keep working while it is off.'),
  SERVER_UNREACHABLE: spec('AUDITRAIL_ERR_SERVER_UNREACHABLE', 503, 'Cannot reach the auditrail server', 'Start it with `auditrail serve`, or pass the right address with --url or AUDITRAIL_URL (default http://127.0.0.1:7070).'),
  INTERNAL: spec('AUDITRAIL_ERR_INTERNAL', 500, 'Internal server error', 'A bug or an unexpected failure; the server log has the details under the request id given in the answer. Retrying is safe (ids are idempotency keys); please report it.'),
  // integrity (tamper evidence)
  INTEGRITY_INPUT_INVALID: spec('AUDITRAIL_ERR_INTEGRITY_INPUT_INVALID', 500, 'Input to the integrity chain is unusable', 'A caller bug, nothing was chained: the named record holds a value JSON cannot carry (a BigInt, a cycle) or belongs to another org than the chain, or the chain head is not {seq >= 0, 32-byte hash}. Fix the caller; see docs/integrity.md.'),
  SIGNING_KEY_INVALID: spec('AUDITRAIL_ERR_SIGNING_KEY_INVALID', 500, 'Invalid checkpoint signing or verification key', 'Give Ed25519 keys only: private keys as PKCS#8 PEM (generateSigningKey() or `openssl genpkey -algorithm ed25519`), public keys as SPKI PEM or 64 hex characters; the active key id must name one of the private keys given. See docs/integrity.md, key rotation.'),
  CHECKPOINT_SINK_FAILED: spec('AUDITRAIL_ERR_CHECKPOINT_SINK_FAILED', 503, 'Could not append a checkpoint to the external checkpoint log', 'The checkpoint is still stored in the database; make the log file (or sink) writable again (disk space, permissions, mount) and append it again. Until then verify reports it as missing from the external log.'),
  CHECKPOINT_LOG_UNREADABLE: spec('AUDITRAIL_ERR_CHECKPOINT_LOG_UNREADABLE', 500, 'The external checkpoint log cannot be read', 'Check the path and read permission of the checkpoint log named in the message. A missing file reads as an empty log; lines that are not checkpoints are reported by verify, not thrown.'),
  VERIFY_FAILED: spec('AUDITRAIL_ERR_VERIFY_FAILED', 409, 'Verify found evidence of tampering or loss', "Each finding names the records or checkpoints concerned and what was found (docs/integrity.md, 'Verify: what it detects'): compare them with your backups and retention archives, and find out who could write the database and the checkpoint log."),
  INTEGRITY_UNAVAILABLE: spec('AUDITRAIL_ERR_INTEGRITY_UNAVAILABLE', 404, 'This storage keeps no integrity chain', 'Verify, checkpoints and proofs need a chained storage: run the server on PGlite (the default) or PostgreSQL (storage.type). Memory and file storage do not chain records.'),
  PROOF_UNAVAILABLE: spec('AUDITRAIL_ERR_PROOF_UNAVAILABLE', 409, 'No inclusion proof can be made for this record yet', 'The record is not yet covered by a signed checkpoint (they are cut every N records or T seconds): retry after the next one. If it is covered, its period is incomplete or altered: run `auditrail verify` for the org.'),
  // cluster (NATS JetStream queue)
  QUEUE_UNAVAILABLE: spec('AUDITRAIL_ERR_QUEUE_UNAVAILABLE', 503, 'The message queue (NATS JetStream) is unreachable or refused the request', 'Nothing of the request was acknowledged and it may be retried whole (ids are idempotency keys). Check that nats-server runs with JetStream and is reachable at queue.nats.servers; at start, the message names the stream or consumer whose settings are wrong. `auditrail status` shows the cluster.'),
});

export type ErrorName = keyof typeof ERRORS;
export type ErrorCode = (typeof ERRORS)[ErrorName]['code'];

export interface ErrorIssue {
  /** Dotted path of the offending field or option, e.g. `toolCalls.2.name` or `async.queue_size`. */
  readonly path: string;
  readonly message: string;
}

/** The one error class of auditrail: a catalogue entry plus details. */
export class AuditrailError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint: string;
  readonly issues: readonly ErrorIssue[];

  constructor(name: ErrorName, detail?: string, options: { cause?: unknown; issues?: readonly ErrorIssue[] } = {}) {
    const s = ERRORS[name];
    super(detail ? `${s.message}: ${detail}` : s.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuditrailError';
    this.code = s.code;
    this.status = s.status;
    this.hint = s.hint;
    this.issues = options.issues ?? [];
  }

  toJSON(): { code: string; message: string; hint: string; issues: readonly ErrorIssue[] } {
    return { code: this.code, message: this.message, hint: this.hint, issues: this.issues };
  }
}

export function isAuditrailError(err: unknown, name?: ErrorName): err is AuditrailError {
  return err instanceof AuditrailError && (name === undefined || err.code === ERRORS[name].code);
}

/** Best-effort text of anything thrown, for error messages and diagnostics. Never throws. */
export function errorMessage(err: unknown): string {
  try {
    if (err instanceof Error) return err.message;
    return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  } catch {
    return 'unprintable error';
  }
}
