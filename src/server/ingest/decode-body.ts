import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { AuditrailError } from '../../core/errors.js';

const gunzipAsync = promisify(gunzip);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Raw request bytes to text: gunzip when Content-Encoding says so (bounded: decompression stops
 * at maxBytes, so a gzip bomb costs at most maxBytes), then strict UTF-8 (invalid sequences are
 * refused, never replaced).
 */
export async function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<string> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let bytes: Buffer;
  if (encoding === 'identity' || encoding === '') {
    bytes = raw;
  } else if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      bytes = await gunzipAsync(raw, { maxOutputLength: maxBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new AuditrailError('BODY_TOO_LARGE', `the body decompresses to more than ${maxBytes} bytes`);
      }
      throw new AuditrailError('BODY_ENCODING_INVALID', 'Content-Encoding is gzip but the body is not a complete gzip stream', { cause: err });
    }
  } else {
    throw new AuditrailError('MEDIA_TYPE_UNSUPPORTED', `Content-Encoding ${JSON.stringify(encoding)} is not supported (use gzip or none)`);
  }
  if (bytes.length > maxBytes) throw new AuditrailError('BODY_TOO_LARGE', `the body is ${bytes.length} bytes, more than ${maxBytes}`);
  try {
    return utf8.decode(bytes);
  } catch (err) {
    throw new AuditrailError('BODY_ENCODING_INVALID', `the body is not valid UTF-8 (near byte ${firstInvalidUtf8(bytes)})`, { cause: err });
  }
}

/** Offset of the first byte that breaks UTF-8, for the error message. */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > b.length) return i;
    for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return i;
}
