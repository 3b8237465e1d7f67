import { AuditrailError, errorMessage } from '../../core/index.js';
import type { LoggerContext } from '../options.js';
import type { Capability, McpServer } from './action-source.js';

/** What the approval hook is asked. */
export interface ApprovalRequest {
  readonly actionId: string;
  readonly actionName: string;
  readonly params: Record<string, unknown>;
  readonly capability?: Capability;
  readonly mcpServer?: McpServer;
  readonly interactionId?: string;
  readonly context: Readonly<LoggerContext>;
}

/** A hook's answer: a boolean, or who decided and why. */
export type ApprovalAnswer = boolean | { readonly granted: boolean; readonly approver?: string; readonly reason?: string };
export type ApprovalHook = (request: ApprovalRequest) => ApprovalAnswer | Promise<ApprovalAnswer>;

export interface ApprovalDecision {
  readonly granted: boolean;
  readonly approver?: string;
  readonly reason?: string;
  /** Set when the executor denied on the hook's behalf (no hook, or a hook that failed). */
  readonly error?: AuditrailError;
}

/** The seed's reason for a plain `false`. */
export const DEFAULT_DENIAL_REASON = 'User denied approval';

/**
 * Asks the hook, failing closed: no hook, a hook that throws or one that answers something other
 * than a boolean or `{ granted: boolean }` is a denial with the error that says why.
 */
export async function decideApproval(hook: ApprovalHook | undefined, request: ApprovalRequest): Promise<ApprovalDecision> {
  if (hook === undefined) {
    const error = new AuditrailError('APPROVAL_HOOK_MISSING', request.actionName);
    return { granted: false, reason: error.message, error };
  }
  let answer: unknown;
  try {
    answer = await hook(request);
  } catch (err) {
    const error = new AuditrailError('APPROVAL_HOOK_FAILED', errorMessage(err), { cause: err });
    return { granted: false, reason: error.message, error };
  }
  if (typeof answer === 'boolean') return answer ? { granted: true } : { granted: false, reason: DEFAULT_DENIAL_REASON };
  if (typeof answer === 'object' && answer !== null && typeof (answer as { granted?: unknown }).granted === 'boolean') {
    const a = answer as { granted: boolean; approver?: unknown; reason?: unknown };
    const approver = typeof a.approver === 'string' ? a.approver : undefined;
    const reason = typeof a.reason === 'string' ? a.reason : a.granted ? undefined : DEFAULT_DENIAL_REASON;
    return { granted: a.granted, ...(approver === undefined ? {} : { approver }), ...(reason === undefined ? {} : { reason }) };
  }
  const error = new AuditrailError('APPROVAL_HOOK_FAILED', `the hook answered ${errorMessage(answer)}, not a boolean or { granted }`);
  return { granted: false, reason: error.message, error };
}
