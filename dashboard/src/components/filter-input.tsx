import { useEffect, useId, useRef, useState, type Ref } from 'react';

export interface FilterInputProps {
  readonly label: string;
  readonly value: string;
  readonly onCommit: (value: string) => void;
  readonly placeholder?: string;
  readonly suggestions?: readonly string[];
  readonly type?: 'text' | 'search';
  readonly inputRef?: Ref<HTMLInputElement>;
  readonly name?: string;
}

const DEBOUNCE_MS = 450;

/** A labelled text filter: commits after a pause in typing, on Enter, or when cleared. */
export function FilterInput({ label, value, onCommit, placeholder, suggestions, type = 'text', inputRef, name }: FilterInputProps) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => setDraft(value), [value]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const commit = (v: string) => {
    window.clearTimeout(timer.current);
    if (v.trim() !== value) onCommit(v.trim());
  };
  const change = (v: string) => {
    setDraft(v);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => commit(v), v === '' ? 0 : DEBOUNCE_MS);
  };

  return (
    <label className="field" htmlFor={id}>
      <span className="field-label">{label}</span>
      <input
        id={id}
        ref={inputRef}
        name={name}
        type={type}
        value={draft}
        placeholder={placeholder}
        list={suggestions?.length ? `${id}-list` : undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => change(e.target.value)}
        onBlur={() => commit(draft)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(draft);
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
      />
      {suggestions?.length ? (
        <datalist id={`${id}-list`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </label>
  );
}
