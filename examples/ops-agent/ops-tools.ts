/** The example's cluster actions and its approval policy (what an on-call engineer would answer). */
import type { ActionRegistry, ApprovalHook } from '../../src/sdk/executor/index.js';

const pods: Record<string, { name: string; restarts: number; reason: string }[]> = {
  payments: [
    { name: 'payments-7f9', restarts: 14, reason: 'OOMKilled' },
    { name: 'payments-2c1', restarts: 0, reason: 'Running' },
  ],
};

export const opsActions: ActionRegistry = {
  get_pods: {
    capability: { type: 'skill', source: 'builtin', version: '1.0.0' },
    handler: (p) => pods[String(p.namespace)] ?? [],
  },
  get_logs: {
    capability: { type: 'skill', source: 'builtin', version: '1.0.0' },
    handler: (p) => {
      throw new Error(`pods "${String(p.pod)}" not found in namespace ${String(p.namespace)}`);
    },
  },
  restart_deployment: {
    requiresApproval: true,
    capability: { type: 'skill', source: 'builtin', version: '1.0.0' },
    handler: (p) => `deployment.apps/${String(p.deployment)} restarted`,
  },
  delete_namespace: {
    requiresApproval: true,
    capability: { type: 'skill', source: 'builtin', version: '1.0.0' },
    handler: (p) => `namespace ${String(p.namespace)} deleted`,
  },
};

/** Restarts are fine during the day; deleting a namespace never is, for an agent. */
export const onCallApproval: ApprovalHook = ({ actionName, params }) =>
  actionName === 'delete_namespace'
    ? { granted: false, approver: 'oncall:bob', reason: `deleting ${String(params.namespace)} needs a change ticket` }
    : { granted: true, approver: 'oncall:bob', reason: 'within the maintenance window' };
