import { formatTime } from '../lib/format.js';

/** The plain fields of an object whose exact shape this dashboard does not assume (text only). */
export function KeyValues({ value, testId }: { value: Record<string, unknown>; testId?: string }) {
  const entries = Object.entries(value).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  return (
    <dl className="kv" data-testid={testId}>
      {entries.map(([k, v]) => (
        <div key={k} className="kv-pair">
          <dt>{humanize(k)}</dt>
          <dd className="mono break">{show(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function humanize(k: string): string {
  const s = k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

function show(k: string, v: unknown): string {
  if (v === null) return '—';
  if (typeof v === 'string' && /(at|time|timestamp)$/i.test(k) && !Number.isNaN(Date.parse(v))) return `${formatTime(v)} (${v})`;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}
