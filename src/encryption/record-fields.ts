import type { AuditRecord } from '../core/record.js';
import type { FieldSelection, FieldSpec } from './field-paths.js';

/**
 * What a field visitor answers: the value to put in place, or KEEP to leave the field as it is.
 * `path` is the concrete dotted path (`question`, `thoughts.2.content`, `toolCalls.0.input`):
 * the path bound into the AAD and named in errors.
 */
export const KEEP: unique symbol = Symbol('keep');
export type FieldVisitor = (value: unknown, path: string, spec: FieldSpec) => unknown;

type Obj = Record<string, unknown>;

/**
 * Applies `visit` to the selected fields of a record that are present and not null, copy on
 * write: the record and its children are copied only where a field changes; the input is never
 * modified. Null and absent fields are not visited (they hold nothing to hide).
 */
export function mapRecordFields<R extends AuditRecord>(record: R, selection: FieldSelection, visit: FieldVisitor): R {
  const kind = record.kind === 'event' ? selection.event : selection.interaction;
  let out: Obj | undefined;
  for (const spec of kind.top) {
    const value = (record as Obj)[spec.key];
    if (value === undefined || value === null) continue;
    const next = visit(value, spec.key, spec);
    if (next === KEEP) continue;
    out ??= { ...record };
    out[spec.key] = next;
  }
  if (record.kind === 'interaction') {
    for (const list of ['thoughts', 'toolCalls'] as const) {
      const specs = kind[list];
      const items = (record as Obj)[list];
      if (specs.length === 0 || !Array.isArray(items)) continue;
      const mapped = mapList(items, list, specs, visit);
      if (mapped === undefined) continue;
      out ??= { ...record };
      out[list] = mapped;
    }
  }
  return (out ?? record) as R;
}

function mapList(items: readonly unknown[], list: string, specs: readonly FieldSpec[], visit: FieldVisitor): unknown[] | undefined {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'object' || item === null) continue;
    let next: Obj | undefined;
    for (const spec of specs) {
      const value = (item as Obj)[spec.key];
      if (value === undefined || value === null) continue;
      const v = visit(value, `${list}.${i}.${spec.key}`, spec);
      if (v === KEEP) continue;
      next ??= { ...(item as Obj) };
      next[spec.key] = v;
    }
    if (next === undefined) continue;
    copy ??= [...items];
    copy[i] = next;
  }
  return copy;
}
