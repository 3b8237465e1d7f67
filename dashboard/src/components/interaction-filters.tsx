import type { Ref } from 'react';
import type { Interaction } from '../api/types.js';
import { INTERACTION_FILTERS, STATUS_OPTIONS } from '../lib/interaction-filters.js';
import { FilterInput } from './filter-input.js';
import { FilterPanel } from './filter-panel.js';
import { SelectField } from './select-field.js';
import { TimeRangePicker } from './time-range-picker.js';

export interface InteractionFiltersProps {
  readonly get: (name: string) => string;
  readonly update: (patch: Record<string, string | undefined>) => void;
  readonly items: readonly Interaction[];
  readonly searchRef: Ref<HTMLInputElement>;
}

/** Search, time range, status and one field per dimension; every change goes to the URL. */
export function InteractionFilters({ get, update, items, searchRef }: InteractionFiltersProps) {
  const anySet = [...INTERACTION_FILTERS.map((f) => f.name), 'status', 'q', 'range'].some((n) => get(n));
  return (
    <FilterPanel
      role="search"
      activeDims={INTERACTION_FILTERS.filter((f) => get(f.name)).length}
      main={
        <>
        <FilterInput
          label="Search questions and answers"
          name="q"
          type="search"
          value={get('q')}
          placeholder="e.g. payments OOMKilled   ( / )"
          inputRef={searchRef}
          onCommit={(q) => update({ q })}
        />
        <TimeRangePicker
          value={{ range: get('range') || 'all', from: get('from') || undefined, to: get('to') || undefined }}
          onChange={(r) => update({ range: r.range === 'all' ? undefined : r.range, from: r.from, to: r.to })}
        />
        <SelectField label="Status" name="status" value={get('status')} options={STATUS_OPTIONS} onChange={(status) => update({ status })} />
        </>
      }
      dims={
        <>
        {INTERACTION_FILTERS.map((f) => (
          <FilterInput
            key={f.name}
            label={f.label}
            name={f.name}
            value={get(f.name)}
            placeholder={f.placeholder}
            suggestions={distinct(items, f.name)}
            onCommit={(v) => update({ [f.name]: v })}
          />
        ))}
        {anySet ? (
          <button
            type="button"
            className="link-button clear-filters"
            onClick={() => update(Object.fromEntries([...INTERACTION_FILTERS.map((f) => f.name), 'status', 'q', 'range', 'from', 'to'].map((n) => [n, undefined])))}
          >
            Clear filters
          </button>
        ) : null}
        </>
      }
    />
  );
}

function distinct(items: readonly Interaction[], name: string): string[] {
  const out = new Set<string>();
  for (const i of items) {
    if (name === 'actionName') {
      for (const t of i.toolCalls) out.add(t.name);
      continue;
    }
    const v = (i as unknown as Record<string, unknown>)[name];
    if (typeof v === 'string' && v) out.add(v);
    if (out.size >= 50) break;
  }
  return [...out].sort();
}
