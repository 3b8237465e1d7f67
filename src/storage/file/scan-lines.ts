import { open } from 'node:fs/promises';

const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

export interface Line {
  readonly text: string;
  /** 1-based line number in the file. */
  readonly lineNo: number;
  /** Byte offset of the line's first byte. */
  readonly start: number;
  /** Byte offset just after the line's newline (or after its last byte when torn). */
  readonly end: number;
  /** False for a last line without its newline (a torn write). */
  readonly complete: boolean;
}

/**
 * Streams a file line by line, from the start up to `limitBytes` (the committed size; bytes of a
 * write in flight beyond it are never looked at). Memory is one chunk plus the longest line.
 * `onLine` returns false to stop early.
 */
export async function scanLines(path: string, limitBytes: number, onLine: (line: Line) => boolean | void): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let parts: Buffer[] = [];
    let partsBytes = 0;
    let lineStart = 0;
    let lineNo = 0;
    let position = 0;
    while (position < limitBytes) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(CHUNK_BYTES, limitBytes - position), position);
      if (bytesRead === 0) break;
      let from = 0;
      for (let nl = chunk.indexOf(NEWLINE, from); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(NEWLINE, from)) {
        let text: string;
        if (partsBytes > 0) {
          parts.push(chunk.subarray(from, nl));
          text = Buffer.concat(parts).toString('utf8');
          parts = [];
          partsBytes = 0;
        } else {
          text = chunk.toString('utf8', from, nl);
        }
        const end = position + nl + 1;
        if (onLine({ text, lineNo: ++lineNo, start: lineStart, end, complete: true }) === false) return;
        lineStart = end;
        from = nl + 1;
      }
      if (from < bytesRead) {
        // The rest of the chunk starts a line that continues in the next chunk: keep a copy.
        parts.push(Buffer.from(chunk.subarray(from, bytesRead)));
        partsBytes += bytesRead - from;
      }
      position += bytesRead;
    }
    if (partsBytes > 0) onLine({ text: Buffer.concat(parts).toString('utf8'), lineNo: ++lineNo, start: lineStart, end: lineStart + partsBytes, complete: false });
  } finally {
    await fh.close();
  }
}
