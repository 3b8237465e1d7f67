import { RANGE_PRESETS, toLocalInput } from '../lib/time-range.js';
import { SelectField } from './select-field.js';

export interface RangeValue {
  readonly range: string;
  readonly from?: string;
  readonly to?: string;
}

/** Presets (relative to now, so shared links stay current) or a custom absolute range. */
export function TimeRangePicker({ value, onChange, allowAll = true }: { value: RangeValue; onChange: (v: RangeValue) => void; allowAll?: boolean }) {
  const options = [...RANGE_PRESETS.filter((p) => allowAll || p.ms !== null).map((p) => ({ value: p.id, label: p.label })), { value: 'custom', label: 'Custom…' }];
  const pick = (range: string) => {
    if (range !== 'custom') return onChange({ range });
    const preset = RANGE_PRESETS.find((p) => p.id === value.range);
    const now = Date.now();
    onChange({ range, from: new Date(now - (preset?.ms ?? 86_400_000)).toISOString(), to: new Date(now).toISOString() });
  };
  return (
    <>
      <SelectField label="Time" name="range" value={value.range} options={options} onChange={pick} />
      {value.range === 'custom' ? (
        <>
          <DateField label="From" value={value.from} onChange={(from) => onChange({ ...value, from })} />
          <DateField label="To" value={value.to} onChange={(to) => onChange({ ...value, to })} />
        </>
      ) : null}
    </>
  );
}

function DateField({ label, value, onChange }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        type="datetime-local"
        value={toLocalInput(value)}
        onChange={(e) => {
          const ms = Date.parse(e.target.value);
          onChange(Number.isNaN(ms) ? undefined : new Date(ms).toISOString());
        }}
      />
    </label>
  );
}
