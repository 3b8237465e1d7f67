import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = () => {
    // Absent on plain-HTTP origins other than localhost: the button then does nothing.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) return;
    clipboard.writeText(text).then(
      () => {
        setDone(true);
        window.setTimeout(() => setDone(false), 1500);
      },
      () => undefined,
    );
  };
  return (
    <button type="button" className="copy-button" onClick={copy}>
      {done ? 'Copied' : label}
    </button>
  );
}
