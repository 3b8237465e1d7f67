import type { Interaction } from '../api/types.js';
import { formatDuration, formatNumber, formatTime } from '../lib/format.js';
import { Link } from './link.js';

/** Who, where, which model, every duration and token count, and the links out. */
export function InteractionFacts({ item }: { item: Interaction }) {
  const u = item.usage;
  return (
    <aside className="facts">
      <section className="card">
        <h3>Context</h3>
        <dl className="kv">
          <Fact label="When" value={formatTime(item.timestamp)} title={item.timestamp} />
          <Fact label="User" value={item.userId} />
          <Fact label="Agent" value={item.agentId} />
          <dt>Session</dt>
          <dd>
            <Link href={`/sessions/${encodeURIComponent(item.sessionId)}`} className="mono break" data-testid="session-link">
              {item.sessionId}
            </Link>
          </dd>
          <Fact label="Client IP" value={item.clientIp} />
          <Fact label="User agent" value={item.userAgent} />
          <Fact label="Model" value={item.model} />
          <Fact label="Provider" value={item.provider} />
          <Fact label="Base URL" value={item.baseUrl} />
          <Fact label="Cluster" value={item.cluster} />
        </dl>
      </section>
      <section className="card">
        <h3>Durations</h3>
        <dl className="kv">
          <Fact label="Total" value={formatDuration(item.totalDurationMs)} />
          <Fact label="Assistant" value={formatDuration(item.assistantDurationMs)} />
          <Fact label="Parse" value={formatDuration(item.parseDurationMs)} />
          {item.metrics.map((m) => (
            <Fact key={m.name} label={m.name} value={formatDuration(m.durationMs)} />
          ))}
        </dl>
      </section>
      {u ? (
        <section className="card">
          <h3>Tokens</h3>
          <dl className="kv" data-testid="tokens">
            <Fact label="Input" value={formatNumber(u.inputTokens)} />
            <Fact label="Output" value={formatNumber(u.outputTokens)} />
            <Fact label="Total" value={formatNumber(u.totalTokens ?? (u.inputTokens ?? 0) + (u.outputTokens ?? 0))} />
            {u.reasoningTokens != null ? <Fact label="Reasoning" value={formatNumber(u.reasoningTokens)} /> : null}
            {u.cachedInputTokens != null ? <Fact label="Cached input" value={formatNumber(u.cachedInputTokens)} /> : null}
          </dl>
        </section>
      ) : null}
      <section className="card">
        <h3>Raw</h3>
        <ul className="plain-list">
          <li>
            <Link href={`/actions?interactionId=${encodeURIComponent(item.interactionId)}`} data-testid="raw-events-link">
              Action events of this interaction →
            </Link>
          </li>
          <li>
            <Link href={`/interactions?sessionId=${encodeURIComponent(item.sessionId)}`}>Interactions of this session →</Link>
          </li>
        </ul>
        <p className="muted small mono break">{item.interactionId}</p>
      </section>
    </aside>
  );
}

function Fact({ label, value, title }: { label: string; value: string | null | undefined; title?: string }) {
  if (value === null || value === undefined || value === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd className="break" title={title}>
        {value}
      </dd>
    </>
  );
}
