import { formatAgo } from '../lib/format.js';

/** Live mode: new interactions appear as they are recorded; Pause stops polling. */
export function LiveToggle({ live, onChange, lastPollAt }: { live: boolean; onChange: (live: boolean) => void; lastPollAt: number | null }) {
  return (
    <div className="live">
      <button type="button" className={live ? 'button live-on' : 'button'} aria-pressed={live} data-testid="live-toggle" onClick={() => onChange(!live)}>
        <span className={live ? 'live-dot live-dot-on' : 'live-dot'} aria-hidden="true" />
        {live ? 'Pause' : 'Live'}
      </button>
      {live && lastPollAt ? <span className="muted small">checked {formatAgo(new Date(lastPollAt).toISOString())}</span> : null}
    </div>
  );
}
