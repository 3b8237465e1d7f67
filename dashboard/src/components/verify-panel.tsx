import { useEffect, useRef, useState } from 'react';
import type { JsonObject } from '../api/types.js';
import { toDisplayText } from '../lib/format.js';
import { describeProblem, progressFraction, verifyOutcome, verifyProblems } from '../lib/integrity.js';
import { useClient } from '../lib/session-context.js';
import { CollapsibleText } from './collapsible-text.js';
import { ErrorState } from './error-state.js';
import { KeyValues } from './key-values.js';

type RunState = { phase: 'idle' } | { phase: 'running'; startedAt: number; progress: JsonObject | null } | { phase: 'done'; result: JsonObject; tookMs: number } | { phase: 'error'; error: unknown };

/** Runs verify on demand, with progress (when the server streams it) and the outcome. */
export function VerifyPanel() {
  const client = useClient();
  const [state, setState] = useState<RunState>({ phase: 'idle' });
  const [now, setNow] = useState(Date.now());
  const ctl = useRef<AbortController | null>(null);

  useEffect(() => () => ctl.current?.abort(), []);
  useEffect(() => {
    if (state.phase !== 'running') return;
    const t = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(t);
  }, [state.phase]);

  const run = () => {
    ctl.current?.abort();
    const c = new AbortController();
    ctl.current = c;
    const startedAt = Date.now();
    setState({ phase: 'running', startedAt, progress: null });
    client.verify((progress) => setState({ phase: 'running', startedAt, progress }), c.signal).then(
      (result) => setState({ phase: 'done', result, tookMs: Date.now() - startedAt }),
      (error: unknown) => {
        if (!c.signal.aborted) setState({ phase: 'error', error });
      },
    );
  };

  return (
    <section className="card" data-testid="verify-panel">
      <header className="chart-head">
        <h2>Verify</h2>
        <button type="button" className="button button-primary" onClick={run} disabled={state.phase === 'running'}>
          {state.phase === 'running' ? 'Verifying…' : 'Run verify'}
        </button>
      </header>
      <p className="muted">
        Recomputes the hash chain of every record of your org and checks it against the signed checkpoints: any changed, deleted, inserted
        or reordered record, a truncated tail or a restored older snapshot fails it.
      </p>
      {state.phase === 'running' ? <Progress fraction={state.progress ? progressFraction(state.progress) : null} elapsedMs={now - state.startedAt} /> : null}
      {state.phase === 'error' ? <ErrorState error={state.error} onRetry={run} /> : null}
      {state.phase === 'done' ? <Outcome result={state.result} tookMs={state.tookMs} /> : null}
    </section>
  );
}

function Progress({ fraction, elapsedMs }: { fraction: number | null; elapsedMs: number }) {
  return (
    <div className="progress-wrap" role="status">
      <div className={fraction === null ? 'progress progress-indeterminate' : 'progress'}>
        <div className="progress-bar" style={{ width: fraction === null ? undefined : `${Math.round(fraction * 100)}%` }} />
      </div>
      <span className="muted small">
        {fraction === null ? '' : `${Math.round(fraction * 100)}% · `}
        {(elapsedMs / 1000).toFixed(1)} s
      </span>
    </div>
  );
}

function Outcome({ result, tookMs }: { result: Record<string, unknown>; tookMs: number }) {
  const outcome = verifyOutcome(result);
  const problems = verifyProblems(result);
  return (
    <div className={`verify-outcome verify-${outcome}`} data-testid="verify-outcome" data-outcome={outcome}>
      <strong>{outcome === 'passed' ? 'Verified: the record is complete and untouched.' : outcome === 'failed' ? 'Verification FAILED.' : 'Verify finished.'}</strong>
      <span className="muted small"> ({(tookMs / 1000).toFixed(1)} s)</span>
      <KeyValues value={result} />
      {problems.length > 0 ? (
        <ul className="problems">
          {problems.slice(0, 50).map((p, i) => (
            <li key={i} className="prewrap">
              {describeProblem(p)}
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>Raw answer</summary>
        <CollapsibleText text={toDisplayText(result)} />
      </details>
    </div>
  );
}
