import { useContext } from 'react';
import { isApiError } from '../api/api-error.js';
import { SessionContext } from '../lib/session-context.js';

interface Explained {
  readonly title: string;
  readonly body: string;
  readonly signOut: boolean;
}

/** Explains a failed request in operator terms, with the way out (retry, or another key). */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const session = useContext(SessionContext);
  const e = explain(error);
  const code = isApiError(error) ? error.code : null;
  const hint = isApiError(error) ? error.hint : null;
  return (
    <div className="error-state" role="alert" data-testid="error-state" data-kind={isApiError(error) ? error.kind : 'unknown'}>
      <h2>{e.title}</h2>
      <p>{e.body}</p>
      {hint ? <p className="muted">{hint}</p> : null}
      {code ? <p className="muted mono">{code}</p> : null}
      <div className="row-gap">
        {onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        ) : null}
        {e.signOut && session ? (
          <button type="button" className="button button-primary" onClick={session.signOut}>
            Enter another key
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function explain(error: unknown): Explained {
  if (!isApiError(error)) return { title: 'Something went wrong', body: error instanceof Error ? error.message : String(error), signOut: false };
  switch (error.kind) {
    case 'unauthorized':
      return {
        title: 'The server rejected this API key',
        body: 'The key is missing, unknown or revoked (HTTP 401). Create one with `auditrail keys create --org <org> --scope read` and enter it again.',
        signOut: true,
      };
    case 'forbidden':
      return {
        title: 'This API key may not do this',
        body: `The server refused the request (HTTP 403): ${error.message}. Reading needs a key with the read scope; running verify needs admin.`,
        signOut: true,
      };
    case 'unreachable':
      return {
        title: 'Cannot reach the auditrail server',
        body: `${error.message} Check that \`auditrail serve\` is running and that this page was opened from its address.`,
        signOut: false,
      };
    case 'timeout':
      return { title: 'The server is not answering', body: error.message, signOut: false };
    case 'not-found':
      return { title: 'Not found', body: `${error.message}. Check the id, and that it belongs to the org of your API key.`, signOut: false };
    case 'invalid':
      return { title: 'The server refused this query', body: error.message, signOut: false };
    case 'server':
      return { title: `The server failed (HTTP ${error.status})`, body: error.message, signOut: false };
  }
}
