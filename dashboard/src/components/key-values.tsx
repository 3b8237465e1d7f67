import { formatTime } from '../lib/format.js';

/** The plain fields of an object whose exact shape this dashboard does not assume (text only). */
export function KeyValues({ value, testId }: { value: Record<string, unknown>; testId?: string }) {
  const entries = flatten(value);
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

const isPlain = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Plain fields, and those of nested objects one level down as `parent child` (lists are left out). */
function flatten(value: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (isPlain(v)) out.push([k, v]);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) if (isPlain(v2)) out.push([`${k} ${k2}`, v2]);
    }
  }
  return out;
}

function humanize(k: string): string {
  const s = k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

function show(k: string, v: unknown): string {
  if (v === null) return '—';
  if (typeof v === 'string' && /(at|time|timestamp)$/i.test(k) && !Number.isNaN(Date.parse(v))) return `${formatTime(v)} (${v})`;
  if (typeof v === 'number' && /time(stamp)?Ms$/i.test(k) && v > 1e12) return `${formatTime(new Date(v).toISOString())}`;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}
