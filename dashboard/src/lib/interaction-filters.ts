import type { InteractionQuery, Order } from '../api/types.js';
import { resolveRange } from './time-range.js';

/** The text filters of the interactions list, one per dimension of the query model. */
export const INTERACTION_FILTERS = [
  { name: 'userId', label: 'User', placeholder: 'any user' },
  { name: 'agentId', label: 'Agent', placeholder: 'any agent' },
  { name: 'sessionId', label: 'Session', placeholder: 'any session' },
  { name: 'model', label: 'Model', placeholder: 'any model' },
  { name: 'provider', label: 'Provider', placeholder: 'any provider' },
  { name: 'cluster', label: 'Cluster', placeholder: 'any cluster' },
  { name: 'actionName', label: 'Tool', placeholder: 'any tool' },
] as const satisfies readonly { name: keyof InteractionQuery; label: string; placeholder: string }[];

export const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  { value: 'success', label: 'Success' },
  { value: 'error', label: 'Error' },
  { value: 'timeout', label: 'Timeout' },
  { value: 'cancelled', label: 'Cancelled' },
];

export const DEFAULT_RANGE = 'all';
export const PAGE_SIZE = 50;

/** The interactions query a list URL stands for (without cursor). */
export function interactionQueryFromUrl(params: URLSearchParams, nowMs?: number): InteractionQuery {
  const { from, to } = resolveRange(params, DEFAULT_RANGE, nowMs);
  const q: InteractionQuery = { from, to, limit: PAGE_SIZE, order: orderOf(params) };
  for (const f of INTERACTION_FILTERS) {
    const v = params.get(f.name);
    if (v) q[f.name] = v;
  }
  const status = params.get('status');
  if (status) q.status = status;
  const search = params.get('q');
  if (search) q.search = search;
  return q;
}

export function orderOf(params: URLSearchParams): Order {
  return params.get('order') === 'asc' ? 'asc' : 'desc';
}

/** True when the URL narrows the list (an empty result then means "no match", not "no data"). */
export function hasFilters(params: URLSearchParams): boolean {
  return [...INTERACTION_FILTERS.map((f) => f.name), 'status', 'q'].some((n) => params.get(n)) || (params.get('range') ?? DEFAULT_RANGE) !== 'all';
}
