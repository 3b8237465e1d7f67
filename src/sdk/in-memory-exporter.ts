import { AuditrailError, type AuditEvent, type AuditRecord, type Exporter, type ExportResult, type Interaction } from '../core/index.js';

/**
 * A public test double (OpenTelemetry's InMemorySpanExporter): keeps every exported record in
 * memory, in export order. After shutdown() it answers `failure`, like a closed sink.
 */
export interface InMemoryExporter extends Exporter {
  /** Everything exported so far, in order (a copy of the list; the records themselves are shared). */
  getRecords(): AuditRecord[];
  getEvents(): AuditEvent[];
  getInteractions(): Interaction[];
  /** Number of export() calls that succeeded. */
  readonly exportCount: number;
  readonly isShutDown: boolean;
  reset(): void;
}

export function createInMemoryExporter(): InMemoryExporter {
  let records: AuditRecord[] = [];
  let exportCount = 0;
  let shutDown = false;
  return {
    name: 'in-memory',
    export(batch: readonly AuditRecord[]): Promise<ExportResult> {
      if (shutDown) return Promise.resolve({ code: 'failure', error: new AuditrailError('EXPORT_FAILED', 'in-memory exporter is shut down') });
      for (const r of batch) records.push(r);
      exportCount++;
      return Promise.resolve({ code: 'success' });
    },
    shutdown(): Promise<void> {
      shutDown = true;
      return Promise.resolve();
    },
    getRecords: () => records.slice(),
    getEvents: () => records.filter((r): r is AuditEvent => r.kind === 'event'),
    getInteractions: () => records.filter((r): r is Interaction => r.kind === 'interaction'),
    get exportCount() {
      return exportCount;
    },
    get isShutDown() {
      return shutDown;
    },
    reset(): void {
      records = [];
      exportCount = 0;
    },
  };
}
