import { writeSync } from 'node:fs';
import { AuditrailError, type ErrorCode, type ErrorIssue, type ErrorName } from '../core/index.js';

/** What happened to the records a diagnostic is about. */
export type DiagnosticOutcome =
  /** Lost: counted in stats().dropped. */
  | 'dropped'
  /** Invalid, will never be stored: counted in stats().rejected. */
  | 'rejected'
  /** Handed to the overflow sink (spool): counted in stats().spooled. */
  | 'spooled'
  /** An export attempt failed and will be retried; nothing lost yet. */
  | 'retrying'
  /** Anything else worth knowing (an exporter that failed to shut down, a hook that threw). */
  | 'notice';

/**
 * One report from the pipeline. Reports made in the same tick with the same code, outcome and
 * message are folded into one, with `count` records and up to 10 sample `recordIds`, so that a
 * burst of drops costs one call, not one per record.
 */
export interface Diagnostic {
  readonly code: ErrorCode;
  readonly outcome: DiagnosticOutcome;
  /** Records concerned (0 for notices that concern no record). */
  readonly count: number;
  readonly message: string;
  /** The catalogue error: code, message, hint, issues (field paths), cause. */
  readonly error: AuditrailError;
  readonly recordIds: readonly string[];
}

export type DiagnosticHook = (diagnostic: Diagnostic) => void;

interface Group {
  name: ErrorName;
  outcome: DiagnosticOutcome;
  detail: string;
  count: number;
  ids: string[];
  issues: readonly ErrorIssue[] | undefined;
  cause: unknown;
}

export interface ReportExtra {
  readonly recordId?: string | undefined;
  readonly recordIds?: readonly string[] | undefined;
  readonly issues?: readonly ErrorIssue[] | undefined;
  readonly cause?: unknown;
}

const MAX_GROUPS = 100;
const MAX_IDS = 10;

/**
 * Collects reports and delivers them to the hook on a microtask, off the caller's stack: a
 * report costs a map lookup and an increment, and a hook that throws cannot reach the caller.
 * Without a hook, diagnostics become process warnings (type `AuditrailWarning`), or lines on
 * stderr at process exit.
 */
export class DiagnosticChannel {
  readonly #hook: DiagnosticHook | undefined;
  #groups = new Map<string, Group>();
  #scheduled = false;

  constructor(hook: DiagnosticHook | undefined) {
    this.#hook = hook;
  }

  report(name: ErrorName, outcome: DiagnosticOutcome, count: number, detail: string, extra?: ReportExtra): void {
    let key = `${name}\u0000${outcome}\u0000${detail}`;
    let group = this.#groups.get(key);
    if (group === undefined) {
      if (this.#groups.size >= MAX_GROUPS) {
        key = `${name}\u0000${outcome}\u0000`;
        detail = 'several problems of this kind (diagnostics folded)';
        group = this.#groups.get(key);
      }
      if (group === undefined) {
        group = { name, outcome, detail, count: 0, ids: [], issues: extra?.issues, cause: extra?.cause };
        this.#groups.set(key, group);
      }
    }
    group.count += count;
    if (extra?.recordId !== undefined && group.ids.length < MAX_IDS) group.ids.push(extra.recordId);
    if (extra?.recordIds !== undefined) for (const id of extra.recordIds) if (group.ids.length < MAX_IDS) group.ids.push(id);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.deliver());
    }
  }

  /**
   * Delivers pending reports now. `atExit`: the process is exiting and nothing asynchronous will
   * run, so the default hook writes to stderr directly instead of emitting a process warning.
   */
  deliver(atExit = false): void {
    this.#scheduled = false;
    const groups = this.#groups;
    if (groups.size === 0) return;
    this.#groups = new Map();
    for (const g of groups.values()) {
      const error = new AuditrailError(g.name, g.detail, { issues: g.issues, cause: g.cause });
      const diagnostic: Diagnostic = Object.freeze({ code: error.code, outcome: g.outcome, count: g.count, message: error.message, error, recordIds: Object.freeze(g.ids) });
      try {
        if (this.#hook) this.#hook(diagnostic);
        else if (atExit) writeSync(2, `AuditrailWarning: ${describe(diagnostic)}\n`);
        else process.emitWarning(describe(diagnostic), { type: 'AuditrailWarning', code: diagnostic.code });
      } catch {
        // A diagnostic hook that throws must not break the pipeline; there is nowhere else to report.
      }
    }
  }
}

function describe(d: Diagnostic): string {
  const what = d.count > 0 ? ` (${d.count} record${d.count === 1 ? '' : 's'} ${d.outcome})` : '';
  return `${d.message}${what}. ${d.error.hint}`;
}
