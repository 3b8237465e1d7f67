import { AuditEventSchema } from '../../core/audit-event.js';
import { InteractionSchema } from '../../core/interaction.js';

/** CSV columns, from the same schemas that validate records (minus `kind`), plus the row's resume cursor. */
export const EVENT_COLUMNS: readonly string[] = [...Object.keys(AuditEventSchema.shape).filter((k) => k !== 'kind'), 'cursor'];
export const INTERACTION_COLUMNS: readonly string[] = [...Object.keys(InteractionSchema.shape).filter((k) => k !== 'kind'), 'cursor'];

const NEEDS_QUOTES = /[",\r\n]/;
/** Cells a spreadsheet would run as a formula (CSV injection); prefixed with a quote mark. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180). Objects and arrays are JSON; null/undefined are empty; strings that a
 * spreadsheet would evaluate as a formula get a leading `'` (OWASP's advice; JSONL export keeps
 * every value exact).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = FORMULA_START.test(value) ? `'${value}` : value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value) ?? '';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(columns: readonly string[], row: Readonly<Record<string, unknown>>): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) line += (i === 0 ? '' : ',') + csvCell(row[columns[i]!]);
  return `${line}\r\n`;
}

export function csvHeader(columns: readonly string[]): string {
  return `${columns.join(',')}\r\n`;
}
