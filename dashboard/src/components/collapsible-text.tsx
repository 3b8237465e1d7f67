import { useState } from 'react';
import { CopyButton } from './copy-button.js';

const MAX_CHARS = 600;
const MAX_LINES = 10;

/**
 * Shows a payload as plain text (React escapes it: never HTML), collapsed when long so that a
 * megabyte of tool output never breaks the layout.
 */
export function CollapsibleText({ text, label, mono = true }: { text: string; label?: string; mono?: boolean }) {
  const [open, setOpen] = useState(false);
  const lines = text.split('\n');
  const long = text.length > MAX_CHARS || lines.length > MAX_LINES;
  const shown = !long || open ? text : clip(text, lines);
  return (
    <div className={`payload${mono ? ' payload-mono' : ''}`}>
      {label ? (
        <div className="payload-head">
          <span className="payload-label">{label}</span>
          <CopyButton text={text} />
        </div>
      ) : null}
      <pre className={long && !open ? 'payload-body payload-clipped' : 'payload-body'}>{shown}</pre>
      {long ? (
        <button type="button" className="link-button" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Collapse' : `Show all (${formatSize(text.length)}, ${lines.length} lines)`}
        </button>
      ) : null}
    </div>
  );
}

function clip(text: string, lines: string[]): string {
  const head = lines.length > MAX_LINES ? lines.slice(0, MAX_LINES).join('\n') : text;
  return head.length > MAX_CHARS ? `${head.slice(0, MAX_CHARS)}…` : `${head}\n…`;
}

function formatSize(chars: number): string {
  return chars < 1024 ? `${chars} chars` : `${(chars / 1024).toFixed(chars < 10_240 ? 1 : 0)} KB`;
}
