export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
  /** The one column that shrinks to fit the terminal (free text). */
  readonly flexible?: boolean;
}

/** Plain-text table: padded columns, control characters made visible, the flexible column truncated to fit `width`. */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[], width: number): string {
  const cells = rows.map((r) => columns.map((c) => cellText(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const flex = columns.findIndex((c) => c.flexible);
  if (flex >= 0) {
    const fixed = widths.reduce((a, w, i) => (i === flex ? a : a + w + 2), 0);
    widths[flex] = Math.max(columns[flex]!.header.length, Math.min(widths[flex]!, width - fixed));
  }
  const line = (values: string[]) =>
    values
      .map((v, i) => (v.length > widths[i]! ? `${v.slice(0, Math.max(0, widths[i]! - 1))}…` : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '-';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  // a record's text must not move the cursor or inject terminal escapes
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '⏎' : c === '\t' ? ' ' : '�'));
}
