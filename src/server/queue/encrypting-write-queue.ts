import type { FieldEncryption } from '../../encryption/field-encryption.js';
import type { WriteQueue } from './write-queue.js';

/**
 * The write queue with field encryption in front (docs/encryption.md): every way in (POST
 * /v1/events, OTLP, the server's own access records) passes here after redaction, so records are
 * encrypted before the in-process queue or NATS JetStream holds them, and the integrity chain
 * covers the ciphertext. A record that cannot be encrypted (ENCRYPTION_KEY_UNAVAILABLE) fails the
 * whole request, retryably; nothing of it is acknowledged.
 */
export function createEncryptingWriteQueue(inner: WriteQueue, encryption: FieldEncryption): WriteQueue {
  return {
    name: inner.name,
    submit: async (orgId, records, options) => inner.submit(orgId, await encryption.encryptRecords(records), options),
    stats: () => inner.stats(),
    isFull: (records) => inner.isFull(records),
    retryAfterSeconds: () => inner.retryAfterSeconds(),
    ...(inner.bindMetrics ? { bindMetrics: inner.bindMetrics.bind(inner) } : {}),
    close: () => inner.close(),
  };
}
