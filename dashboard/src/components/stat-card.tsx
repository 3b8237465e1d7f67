export function StatCard({ label, value, detail, testId, tone }: { label: string; value: string; detail?: string; testId?: string; tone?: 'bad' | 'ok' }) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}`}>
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
      {detail ? <span className="muted small">{detail}</span> : null}
    </div>
  );
}
