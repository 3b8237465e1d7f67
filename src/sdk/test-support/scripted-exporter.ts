import type { AuditRecord, Exporter, ExportResult } from '../../core/index.js';

/**
 * A test exporter whose answers are scripted: each export() takes the next scripted result
 * (success when the script is empty), and `hold()` makes exports wait until `release()`, to see
 * what the processor does while an export is in flight.
 */
export interface ScriptedExporter extends Exporter {
  readonly batches: (readonly AuditRecord[])[];
  /** Every export() call, including the ones that failed. */
  readonly calls: number;
  /** Highest number of export() calls pending at the same time. */
  readonly maxConcurrent: number;
  script(...results: (ExportResult | (() => ExportResult) | 'throw')[]): void;
  hold(): void;
  release(): void;
  stored(): AuditRecord[];
}

export function createScriptedExporter(): ScriptedExporter {
  const batches: (readonly AuditRecord[])[] = [];
  const scripted: (ExportResult | (() => ExportResult) | 'throw')[] = [];
  let calls = 0;
  let active = 0;
  let maxConcurrent = 0;
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  return {
    name: 'scripted',
    batches,
    get calls() {
      return calls;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    async export(records) {
      calls++;
      active++;
      maxConcurrent = Math.max(maxConcurrent, active);
      try {
        if (gate) await gate;
        const next = scripted.shift();
        if (next === 'throw') throw new Error('exporter blew up');
        const result = typeof next === 'function' ? next() : (next ?? { code: 'success' });
        if (result.code === 'success') batches.push(records.slice());
        return result;
      } finally {
        active--;
      }
    },
    async shutdown() {},
    script(...results) {
      scripted.push(...results);
    },
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      open?.();
      gate = undefined;
    },
    stored: () => batches.flat(),
  };
}
