import type { EventQuery } from '../api/types.js';
import { resolveRange } from './time-range.js';

export const EVENT_VIEWS = [
  { id: 'all', label: 'All events', eventTypes: undefined },
  { id: 'pending', label: 'Pending approvals', eventTypes: 'approval_requested' },
  { id: 'denied', label: 'Denied approvals', eventTypes: 'approval_denied' },
  { id: 'rejected', label: 'Rejected actions', eventTypes: 'action_rejected' },
  { id: 'failed', label: 'Failed actions', eventTypes: 'action_failed' },
] as const;

export const EVENT_TEXT_FILTERS = [
  { name: 'actionName', label: 'Action', placeholder: 'any action' },
  { name: 'actionId', label: 'Action id', placeholder: 'any' },
  { name: 'interactionId', label: 'Interaction id', placeholder: 'any' },
  { name: 'userId', label: 'User', placeholder: 'any user' },
  { name: 'agentId', label: 'Agent', placeholder: 'any agent' },
  { name: 'sessionId', label: 'Session', placeholder: 'any session' },
] as const satisfies readonly { name: keyof EventQuery; label: string; placeholder: string }[];

export const EVENT_TYPE_OPTIONS = [
  { value: '', label: 'Any type' },
  ...['action_started', 'action_completed', 'action_failed', 'action_rejected', 'approval_requested', 'approval_granted', 'approval_denied'].map((t) => ({
    value: t,
    label: t.replace(/_/g, ' '),
  })),
];

export const SUCCESS_OPTIONS = [
  { value: '', label: 'Any outcome' },
  { value: 'true', label: 'Succeeded' },
  { value: 'false', label: 'Failed' },
];

/** The events query of an Actions URL; a view (tab) fixes the event type. */
export function eventQueryFromUrl(params: URLSearchParams): EventQuery {
  const view = EVENT_VIEWS.find((v) => v.id === params.get('view')) ?? EVENT_VIEWS[0];
  const { from, to } = resolveRange(params, 'all');
  const q: EventQuery = { from, to, limit: 200, order: params.get('order') === 'asc' ? 'asc' : 'desc' };
  const types = view.eventTypes ?? (params.get('eventTypes') || undefined);
  if (types) q.eventTypes = types;
  const success = params.get('success');
  if (success === 'true' || success === 'false') q.success = success;
  for (const f of EVENT_TEXT_FILTERS) {
    const v = params.get(f.name);
    if (v) q[f.name] = v;
  }
  return q;
}
