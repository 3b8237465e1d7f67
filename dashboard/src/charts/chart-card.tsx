import type { ReactNode } from 'react';

/** A titled chart panel with a fixed height, so charts never push the layout around. */
export function ChartCard({ title, subtitle, children, testId, wide = false }: { title: string; subtitle?: string; children: ReactNode; testId?: string; wide?: boolean }) {
  return (
    <section className={wide ? 'card chart-card chart-wide' : 'card chart-card'} data-testid={testId}>
      <header className="chart-head">
        <h2>{title}</h2>
        {subtitle ? <span className="muted small">{subtitle}</span> : null}
      </header>
      <div className="chart-body">{children}</div>
    </section>
  );
}
