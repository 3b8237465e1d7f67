import type { ReactNode } from 'react';

/** A titled chart panel with a fixed height, so charts never push the layout around. */
export function ChartCard({ title, subtitle, children, testId, actions, wide = false }: { title: string; subtitle?: string; children: ReactNode; testId?: string; actions?: ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? 'card chart-card chart-wide' : 'card chart-card'} data-testid={testId}>
      <header className="chart-head">
        <div>
          <h2>{title}</h2>
          {subtitle ? <span className="muted small">{subtitle}</span> : null}
        </div>
        {actions ? <div className="row-gap chart-actions">{actions}</div> : null}
      </header>
      <div className="chart-body">{children}</div>
    </section>
  );
}
