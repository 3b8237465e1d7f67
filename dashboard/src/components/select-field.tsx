import { useId } from 'react';

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

export function SelectField({ label, value, options, onChange, name }: { label: string; value: string; options: readonly SelectOption[]; onChange: (v: string) => void; name?: string }) {
  const id = useId();
  return (
    <label className="field" htmlFor={id}>
      <span className="field-label">{label}</span>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
