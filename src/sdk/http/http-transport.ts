/**
 * What one HTTP attempt (or a decorated series of them) came to, after OpenTelemetry's
 * ExportResponse: a value, never an exception.
 * - success: a 2xx answer, with its body;
 * - retryable: nothing known to be stored, the same body may be sent again (after retryAfterMs);
 * - failure: the request will never be accepted as sent.
 */
export type TransportResult =
  | { readonly code: 'success'; readonly status: number; readonly body: string }
  | { readonly code: 'retryable'; readonly status?: number; readonly error: Error; readonly retryAfterMs?: number }
  | { readonly code: 'failure'; readonly status: number; readonly error: Error; readonly problemCode?: string };

/** A request body, serialized (and compressed) once, sent as often as the retries need. */
export interface TransportRequest {
  readonly body: Uint8Array;
  /** `gzip` when the body is compressed. */
  readonly contentEncoding?: 'gzip';
}

/** Sends one request body; `timeoutMs` bounds the whole call (retries included, for a decorator). */
export interface HttpTransport {
  send(request: TransportRequest, timeoutMs: number): Promise<TransportResult>;
}
