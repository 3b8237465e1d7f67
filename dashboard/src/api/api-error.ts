/** Why a request failed, in the terms the UI explains to an operator. */
export type ApiErrorKind = 'unauthorized' | 'forbidden' | 'not-found' | 'invalid' | 'unreachable' | 'server' | 'timeout';

/** A failed API call: the HTTP status and the catalogue code of the problem+json body, when any. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly code: string | null;
  readonly hint: string | null;

  constructor(kind: ApiErrorKind, message: string, status = 0, code: string | null = null, hint: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.hint = hint;
  }
}

export function kindOfStatus(status: number): ApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status >= 400 && status < 500) return 'invalid';
  return 'server';
}

export function isApiError(err: unknown, kind?: ApiErrorKind): err is ApiError {
  return err instanceof ApiError && (kind === undefined || err.kind === kind);
}
