import type { Interaction } from '../api/types.js';
import { formatAgo, formatDuration, formatNumber, formatTime } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { Link } from './link.js';
import { StatusBadge } from './status-badge.js';

/** One interaction in the list: a row on a laptop, a card on a phone. */
export function InteractionRow({ item, index, selected, fresh }: { item: Interaction; index: number; selected: boolean; fresh: boolean }) {
  const to = `/interactions/${encodeURIComponent(item.interactionId)}`;
  const tokens = item.usage?.totalTokens ?? sumTokens(item);
  const classes = ['irow', selected ? 'irow-selected' : '', fresh ? 'irow-fresh' : ''].filter(Boolean).join(' ');
  return (
    <li
      className={classes}
      data-row-index={index}
      data-testid="interaction-row"
      data-id={item.interactionId}
      aria-current={selected ? 'true' : undefined}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('a')) return;
        navigate(to);
      }}
    >
      <span className="irow-time" title={item.timestamp}>
        <span className="irow-clock">{formatTime(item.timestamp)}</span>
        <span className="muted small">{formatAgo(item.timestamp)}</span>
      </span>
      <span className="irow-question">
        <Link href={to} className="irow-link">
          {oneLine(item.question)}
        </Link>
        {item.finalAnswer ? <span className="irow-answer muted">{oneLine(item.finalAnswer)}</span> : null}
      </span>
      <span className="irow-who">
        <span title="user">{item.userId ?? '—'}</span>
        <span className="muted small" title="agent">
          {item.agentId ?? ''}
        </span>
      </span>
      <span className="irow-model">
        <span>{item.model}</span>
        <span className="muted small">{[item.provider, item.cluster].filter(Boolean).join(' · ')}</span>
      </span>
      <span className="irow-num" title="tool calls">
        {item.toolCalls.length} <span className="muted small">tools</span>
      </span>
      <span className="irow-num" title="tokens">
        {tokens ? formatNumber(tokens) : '—'} <span className="muted small">tok</span>
      </span>
      <span className="irow-num">{formatDuration(item.totalDurationMs)}</span>
      <span className="irow-status">
        <StatusBadge status={item.status} />
      </span>
    </li>
  );
}

function oneLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 240 ? `${t.slice(0, 240)}…` : t;
}

function sumTokens(i: Interaction): number {
  return (i.usage?.inputTokens ?? 0) + (i.usage?.outputTokens ?? 0);
}
