import { useMemo } from 'react';
import type { AuditEvent, Interaction } from '../api/types.js';
import { CollapsibleText } from '../components/collapsible-text.js';
import { ErrorState } from '../components/error-state.js';
import { InteractionFacts } from '../components/interaction-facts.js';
import { Link } from '../components/link.js';
import { Loading } from '../components/loading.js';
import { StatusBadge } from '../components/status-badge.js';
import { ThoughtCard } from '../components/thought-card.js';
import { ToolCallCard } from '../components/tool-call-card.js';
import { Waterfall } from '../components/waterfall.js';
import { formatDuration, formatTime } from '../lib/format.js';
import { useClient } from '../lib/session-context.js';
import { groupByAction, layoutWaterfall, orderSteps } from '../lib/timeline.js';
import { useApi } from '../lib/use-api.js';
import type { ApiClient } from '../api/client.js';

interface Loaded {
  readonly item: Interaction;
  readonly events: AuditEvent[];
}

/** One interaction as a timeline: question, thoughts and tool calls in order, approvals, answer. */
export function InteractionPage({ id }: { id: string }) {
  const client = useClient();
  const { data, error, loading, reload } = useApi(`interaction:${id}`, (signal) => load(client, id, signal));
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading || !data) return <Loading />;
  return <InteractionView item={data.item} events={data.events} />;
}

async function load(client: ApiClient, id: string, signal: AbortSignal): Promise<Loaded> {
  const item = await client.interaction(id, signal);
  // The server answers the interaction with its action events; older servers need a second call.
  const page = item.events ? { items: item.events } : await client.events({ interactionId: id, order: 'asc', limit: 1000 }, signal);
  // Action events recorded without the interaction id are still linked by the tool call's actionId.
  const seen = new Set(page.items.map((e) => e.actionId));
  const missing = item.toolCalls.map((c) => c.actionId).filter((a): a is string => !!a && !seen.has(a)).slice(0, 20);
  const extra = await Promise.all(missing.map((actionId) => client.events({ actionId, order: 'asc', limit: 100 }, signal)));
  return { item, events: [...page.items, ...extra.flatMap((p) => p.items)] };
}

function InteractionView({ item, events }: Loaded) {
  const layout = useMemo(() => layoutWaterfall(item), [item]);
  const steps = useMemo(() => orderSteps(item), [item]);
  const byAction = useMemo(() => groupByAction(events), [events]);
  const linked = new Set(item.toolCalls.map((c) => c.actionId).filter(Boolean));
  const otherActions = [...byAction.keys()].filter((a) => !linked.has(a));
  return (
    <section className="page">
      <nav className="crumbs">
        <Link href="/interactions">Interactions</Link> / <span className="mono">{item.interactionId.slice(0, 8)}</span>
      </nav>
      <header className="question card">
        <div className="question-meta">
          <StatusBadge status={item.status} />
          <span className="muted">{formatTime(item.timestamp)}</span>
          <span className="muted">· {item.model}</span>
          <span className="muted">· {formatDuration(item.totalDurationMs)}</span>
        </div>
        <h1 className="question-label">Question</h1>
        <div className="question-text" data-testid="question">
          <CollapsibleText text={item.question} mono={false} />
        </div>
        {item.errorMessage ? <CollapsibleText label="Error" text={item.errorMessage} /> : null}
      </header>
      <div className="detail-grid">
        <div className="detail-main">
          {layout.bars.length > 0 ? (
            <section className="card">
              <h2>Tool calls over time</h2>
              <Waterfall layout={layout} eventsByAction={byAction} />
            </section>
          ) : null}
          <section className="steps">
            <h2>Steps</h2>
            {steps.length === 0 ? <p className="muted">No thoughts or tool calls were recorded.</p> : null}
            {steps.map((s) =>
              s.kind === 'thought' ? (
                <ThoughtCard key={`t${s.thought.sequence}`} thought={s.thought} startMs={layout.t0} />
              ) : (
                <ToolCallCard key={`c${s.call.sequence}`} call={s.call} startMs={layout.t0} events={s.call.actionId ? (byAction.get(s.call.actionId) ?? []) : []} />
              ),
            )}
          </section>
          {otherActions.length > 0 ? (
            <p className="muted">
              {otherActions.length} other action{otherActions.length > 1 ? 's' : ''} ran in this interaction:{' '}
              <Link href={`/actions?interactionId=${encodeURIComponent(item.interactionId)}`}>see their events</Link>.
            </p>
          ) : null}
          <section className="card answer" data-testid="final-answer">
            <h2>Final answer</h2>
            {item.finalAnswer ? <CollapsibleText text={item.finalAnswer} mono={false} /> : <p className="muted">No answer was recorded ({item.status}).</p>}
          </section>
          <details className="card raw">
            <summary>Raw record (JSON)</summary>
            <CollapsibleText text={JSON.stringify(item, null, 2)} />
          </details>
        </div>
        <InteractionFacts item={item} />
      </div>
    </section>
  );
}
