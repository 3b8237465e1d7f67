import type { Thought } from '../api/types.js';
import { formatOffset, formatTime } from '../lib/format.js';
import { CollapsibleText } from './collapsible-text.js';

export function ThoughtCard({ thought, startMs }: { thought: Thought; startMs: number }) {
  return (
    <article className="step step-thought" data-testid="thought">
      <header className="step-head">
        <span className="step-kind">Thought #{thought.sequence}</span>
        {thought.timestamp ? <span className="muted small" title={`${formatTime(thought.timestamp)} (${thought.timestamp})`}>{formatOffset(thought.timestamp, startMs)}</span> : null}
      </header>
      <CollapsibleText text={thought.content} mono={false} />
    </article>
  );
}
