import type { Interaction, Order } from '../api/types.js';
import { InteractionRow } from './interaction-row.js';

export interface InteractionTableProps {
  readonly items: readonly Interaction[];
  readonly selected: number;
  readonly fresh: ReadonlySet<string>;
  readonly order: Order;
  readonly onOrder: (order: Order) => void;
}

export function InteractionTable({ items, selected, fresh, order, onOrder }: InteractionTableProps) {
  return (
    <div className="itable" role="region" aria-label="Interactions">
      <div className="irow irow-head" aria-hidden="false">
        <button type="button" className="sort-button" data-testid="sort-time" onClick={() => onOrder(order === 'desc' ? 'asc' : 'desc')} title="Sort by time">
          Time {order === 'desc' ? '↓' : '↑'}
        </button>
        <span>Question</span>
        <span>User · agent</span>
        <span>Model</span>
        <span className="irow-num">Tools</span>
        <span className="irow-num">Tokens</span>
        <span className="irow-num">Duration</span>
        <span>Status</span>
      </div>
      <ol className="ilist">
        {items.map((item, i) => (
          <InteractionRow key={item.interactionId} item={item} index={i} selected={i === selected} fresh={fresh.has(item.interactionId)} />
        ))}
      </ol>
    </div>
  );
}
