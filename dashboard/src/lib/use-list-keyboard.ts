import { useEffect, useState } from 'react';

/**
 * j/k move through a list, Enter opens the selected item, `/` focuses the search box.
 * Keys typed into a form field are left alone.
 */
export function useListKeyboard(count: number, open: (index: number) => void, focusSearch: () => void): number {
  const [selected, setSelected] = useState(-1);

  useEffect(() => {
    if (selected >= count) setSelected(count - 1);
  }, [count, selected]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      if (e.key === 'j') {
        e.preventDefault();
        setSelected((s) => Math.min(count - 1, s + 1));
      } else if (e.key === 'k') {
        e.preventDefault();
        setSelected((s) => Math.max(0, s - 1));
      } else if (e.key === 'Enter' && selected >= 0 && selected < count && !t?.closest('button, a')) {
        e.preventDefault();
        open(selected);
      } else if (e.key === '/') {
        e.preventDefault();
        focusSearch();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [count, selected, open, focusSearch]);

  useEffect(() => {
    if (selected < 0) return;
    document.querySelector(`[data-row-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return selected;
}
