import type { Bucket } from '../api/types.js';

export interface RangePreset {
  readonly id: string;
  readonly label: string;
  readonly ms: number | null;
}

/** Time presets of the range pickers; `all` means no bound (not offered where a range is required). */
export const RANGE_PRESETS: readonly RangePreset[] = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 hour', ms: 3_600_000 },
  { id: '6h', label: '6 hours', ms: 6 * 3_600_000 },
  { id: '24h', label: '24 hours', ms: 86_400_000 },
  { id: '7d', label: '7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 days', ms: 30 * 86_400_000 },
  { id: 'all', label: 'All time', ms: null },
];

export interface ResolvedRange {
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/**
 * Reads the range of a view from its URL: `range=<preset>` (relative to now, so a shared link
 * shows the latest data) or `range=custom&from=…&to=…` (absolute).
 */
export function resolveRange(search: URLSearchParams, fallback: string, nowMs: number = Date.now()): ResolvedRange {
  const id = search.get('range') ?? fallback;
  if (id === 'custom') return { from: toIso(search.get('from')), to: toIso(search.get('to')) };
  const preset = RANGE_PRESETS.find((p) => p.id === id) ?? RANGE_PRESETS.find((p) => p.id === fallback);
  if (!preset || preset.ms === null) return { from: undefined, to: undefined };
  return { from: new Date(nowMs - preset.ms).toISOString(), to: undefined };
}

function toIso(v: string | null): string | undefined {
  if (!v) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Buckets sized to the range: a few dozen to two hundred points per chart. */
export function bucketFor(fromMs: number, toMs: number): Bucket {
  const span = toMs - fromMs;
  if (span <= 3 * 3_600_000) return 'minute';
  if (span <= 8 * 86_400_000) return 'hour';
  return 'day';
}

export const BUCKET_MS: Record<Bucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The value of a datetime-local input for an ISO time, in the browser's zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
