import { useState, type ReactNode } from 'react';

/**
 * The filters of a list: the main ones always shown, the per-dimension ones behind a toggle on
 * narrow screens (always shown on wide ones), with the number of those in use.
 */
export function FilterPanel({ main, dims, activeDims, role }: { main: ReactNode; dims: ReactNode; activeDims: number; role?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <form className={open ? 'filters filters-open' : 'filters'} role={role} onSubmit={(e) => e.preventDefault()}>
      <div className="filters-main">{main}</div>
      <button type="button" className="link-button filters-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Fewer filters' : `More filters${activeDims > 0 ? ` (${activeDims} set)` : ''}`}
      </button>
      <div className="filters-dims">{dims}</div>
    </form>
  );
}
