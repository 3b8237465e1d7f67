/**
 * Flush on process exit, shared by every logger of the process (one set of listeners, however
 * many loggers):
 *
 * - `beforeExit` (the event loop ran dry): flush loggers that still hold records. The flush keeps
 *   the process alive until it is done, then Node exits normally.
 * - SIGTERM / SIGINT: flush (for at most SIGNAL_FLUSH_TIMEOUT_MS), then, if no one else listens
 *   to the signal, re-raise it so the process still dies of it as it would have without us. When
 *   the application has its own listener, the signal is its to handle; we only flush.
 * - `exit` (nothing async can run any more): what is still pending is counted as dropped and
 *   reported synchronously, so that even this loss is not silent.
 */
export interface ExitParticipant {
  /** Records not yet settled. */
  pending(): number;
  flush(): Promise<void>;
  /** Synchronous: count and report what is left. */
  dropAtExit(): void;
}

export const SIGNAL_FLUSH_TIMEOUT_MS = 5_000;
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type ExitSignal = (typeof SIGNALS)[number];

const participants = new Set<ExitParticipant>();
let installed = false;

function onBeforeExit(): void {
  for (const p of participants) if (p.pending() > 0) void p.flush();
}

function onExit(): void {
  for (const p of participants) p.dropAtExit();
}

let signalled = false;

function onSignal(signal: ExitSignal): void {
  const othersListen = process.listenerCount(signal) > 1;
  if (signalled && !othersListen) {
    // A second signal while we flush: stop waiting, die of it now.
    uninstall();
    process.kill(process.pid, signal);
    return;
  }
  signalled = true;
  flushThenReraise(signal, othersListen);
}

function flushThenReraise(signal: ExitSignal, othersListen: boolean): void {
  // Decided at signal time: listeners added while we flush do not change what this signal does.
  const flushes = [...participants].map((p) => p.flush());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SIGNAL_FLUSH_TIMEOUT_MS);
  });
  void Promise.race([Promise.allSettled(flushes), timeout]).then(() => {
    clearTimeout(timer);
    signalled = false;
    if (othersListen) return;
    // dying of the signal fires no `exit` event: what the flush did not finish is settled now
    // (written to the spool when there is one, else counted and reported as dropped)
    onExit();
    uninstall();
    process.kill(process.pid, signal);
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('beforeExit', onBeforeExit);
  process.off('exit', onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Registers a logger pipeline; returns the function that unregisters it (called at shutdown). */
export function registerExitFlush(participant: ExitParticipant): () => void {
  participants.add(participant);
  install();
  return () => {
    participants.delete(participant);
    if (participants.size === 0) uninstall();
  };
}
