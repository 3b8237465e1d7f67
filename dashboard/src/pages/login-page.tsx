import { useState, type FormEvent } from 'react';
import { createApiClient } from '../api/client.js';
import { explain } from '../components/error-state.js';
import { isApiError } from '../api/api-error.js';

/** Asks for an API key once, checks it against the server, then keeps it in this browser. */
export function LoginPage({ onSignIn }: { onSignIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) return;
    setBusy(true);
    setError(undefined);
    createApiClient({ apiKey: k, timeoutMs: 15_000 })
      .interactions({ limit: 1 })
      .then(
        () => onSignIn(k),
        (err: unknown) => {
          setBusy(false);
          setError(err);
        },
      );
  };
  const e = error === undefined ? undefined : explain(error);
  return (
    <main className="login">
      <form className="login-card card" onSubmit={submit}>
        <div className="brand brand-large">
          <Logo /> auditrail
        </div>
        <h1>Sign in with an API key</h1>
        <p className="muted">
          The dashboard reads your org&apos;s audit trail with a key that has the <code>read</code> scope. Create one with{' '}
          <code>auditrail keys create --org &lt;org&gt; --scope read</code>. It is kept in this browser only.
        </p>
        <label className="field">
          <span className="field-label">API key</span>
          <input
            name="apiKey"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={key}
            placeholder="atr_…"
            onChange={(ev) => setKey(ev.target.value)}
            aria-invalid={error !== undefined}
          />
        </label>
        {e ? (
          <div className="error-state error-inline" role="alert" data-testid="login-error" data-kind={isApiError(error) ? error.kind : 'unknown'}>
            <strong>{e.title}</strong>
            <p>{e.body}</p>
          </div>
        ) : null}
        <button type="submit" className="button button-primary button-block" disabled={busy || !key.trim()}>
          {busy ? 'Checking…' : 'Open the dashboard'}
        </button>
      </form>
    </main>
  );
}

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path d="M4 5h16M4 10h10M4 15h13M4 20h7" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" fill="none" />
      <circle cx="19" cy="19" r="3" fill="currentColor" />
    </svg>
  );
}
