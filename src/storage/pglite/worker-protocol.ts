/** Messages between the storage (main thread) and the PGlite worker thread. */
export interface WorkerInit {
  readonly pgdataDir: string;
  readonly durable: boolean;
}

export type WorkerRequest =
  | { readonly id: number; readonly op: 'query'; readonly tx?: number; readonly text: string; readonly params?: readonly unknown[] }
  | { readonly id: number; readonly op: 'exec'; readonly tx?: number; readonly script: string }
  | { readonly id: number; readonly op: 'copy'; readonly tx?: number; readonly table: string; readonly columns: readonly string[]; readonly rows: string }
  | { readonly id: number; readonly op: 'begin' }
  | { readonly id: number; readonly op: 'commit'; readonly tx: number }
  | { readonly id: number; readonly op: 'rollback'; readonly tx: number }
  | { readonly id: number; readonly op: 'close' };

export interface SerializedError {
  readonly message: string;
  readonly name: string;
  readonly code?: string;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'fatal'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  const e = err as { message?: unknown; name?: unknown; code?: unknown } | null;
  return {
    message: typeof e?.message === 'string' ? e.message : String(err),
    name: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

export function deserializeError(s: SerializedError): Error {
  const err = new Error(s.message) as Error & { code?: string };
  err.name = s.name;
  if (s.code !== undefined) err.code = s.code;
  return err;
}
