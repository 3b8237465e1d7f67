import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { AuditrailError } from '../../core/errors.js';
import type { OtlpEncoding } from './decode-request.js';

const gunzipAsync = promisify(gunzip);

export const PROTOBUF_TYPES = ['application/x-protobuf', 'application/protobuf'];
export const JSON_TYPES = ['application/json'];

/** The encoding a Content-Type names (the OTLP/HTTP ones only). */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (PROTOBUF_TYPES.includes(mediaType)) return 'protobuf';
  if (JSON_TYPES.includes(mediaType)) return 'json';
  return undefined;
}

/**
 * The request bytes, gunzipped when Content-Encoding is gzip (OTLP/HTTP's only compression).
 * Decompression stops at maxBytes, so a gzip bomb costs at most that.
 */
export async function readOtlpBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') throw new AuditrailError('MEDIA_TYPE_UNSUPPORTED', `Content-Encoding ${JSON.stringify(encoding)} is not supported (OTLP/HTTP uses gzip or none)`);
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new AuditrailError('BODY_TOO_LARGE', `the body decompresses to more than ${maxBytes} bytes`);
    throw new AuditrailError('BODY_ENCODING_INVALID', 'Content-Encoding is gzip but the body is not a complete gzip stream', { cause: err });
  }
}
