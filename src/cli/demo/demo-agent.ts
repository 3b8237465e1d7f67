import type { AuditLogger, InteractionBuilder } from '../../sdk/index.js';
import { createActionExecutor, type ActionExecutor, type ApprovalRequest } from '../../sdk/index.js';

/**
 * A scripted ops copilot (the seed-002 OpsAgent, without a real model or cluster): four turns
 * that exercise everything an audit trail must capture — a read-only tool call, an action that
 * needs approval and gets it, one that is denied, and one that fails.
 */
export interface DemoTurn {
  readonly question: string;
  readonly thoughts: readonly string[];
  readonly actions: readonly { readonly name: string; readonly params: Record<string, unknown> }[];
  /** What the model answers when every action went through. */
  readonly answer: string;
}

export const DEMO_TURNS: readonly DemoTurn[] = [
  {
    question: 'Which pods are restarting in the prod-eu cluster?',
    thoughts: ['List pods in every namespace and keep those with restarts > 0.'],
    actions: [{ name: 'kubectl_get_pods', params: { cluster: 'prod-eu', allNamespaces: true } }],
    answer: 'One pod is restarting: payments-api-7f9c (14 restarts, OOMKilled).',
  },
  {
    question: 'payments keeps getting OOMKilled. Restart it with the new memory limit.',
    thoughts: ['Restarting a production deployment changes state: it needs an approval.', 'Ask the on-call engineer.'],
    actions: [{ name: 'rollout_restart', params: { cluster: 'prod-eu', namespace: 'payments', deployment: 'payments-api' } }],
    answer: 'payments-api restarted with the new memory limit (revision 42), approved by oncall-bob.',
  },
  {
    question: '把 staging 命名空间删掉，释放资源。',
    thoughts: ['删除命名空间是不可逆操作，需要审批。'],
    actions: [{ name: 'delete_namespace', params: { cluster: 'prod-eu', namespace: 'staging' } }],
    answer: 'staging 命名空间已删除。',
  },
  {
    question: 'Scale checkout to 50 replicas for the sale.',
    thoughts: ['Scaling is pre-approved up to the namespace quota.'],
    actions: [{ name: 'scale_deployment', params: { cluster: 'prod-eu', namespace: 'shop', deployment: 'checkout', replicas: 50 } }],
    answer: 'checkout scaled to 50 replicas.',
  },
];

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The demo's tools; approval policy: anything that changes production needs a human. */
function demoExecutor(logger: AuditLogger): ActionExecutor {
  return createActionExecutor({
    logger,
    actions: {
      kubectl_get_pods: {
        capability: { type: 'tool', source: 'builtin', version: '1.0.0' },
        handler: async () => {
          await delay(12);
          return { pods: [{ name: 'payments-api-7f9c', restarts: 14, reason: 'OOMKilled' }] };
        },
      },
      rollout_restart: {
        requiresApproval: true,
        capability: { type: 'tool', source: 'mcp', version: '0.3.1' },
        mcpServer: { id: 'mcp-k8s-prod', name: 'kubernetes' },
        handler: async (params) => {
          await delay(35);
          return { restarted: params.deployment, revision: 42 };
        },
      },
      delete_namespace: {
        requiresApproval: true,
        capability: { type: 'tool', source: 'mcp', version: '0.3.1' },
        mcpServer: { id: 'mcp-k8s-prod', name: 'kubernetes' },
        handler: () => ({ deleted: true }),
      },
      scale_deployment: {
        capability: { type: 'tool', source: 'builtin', version: '1.0.0' },
        handler: async () => {
          await delay(8);
          throw new Error('exceeded quota: requests.cpu=64, used=48, requested=25');
        },
      },
    },
    approvalHook: (req: ApprovalRequest) =>
      req.actionName === 'delete_namespace'
        ? { granted: false, approver: 'oncall-bob', reason: 'staging is used by the release train until Friday' }
        : { granted: true, approver: 'oncall-bob', reason: 'OOM fix verified in staging' },
  });
}

async function runTurn(logger: AuditLogger, executor: ActionExecutor, turn: DemoTurn, index: number): Promise<string> {
  const it: InteractionBuilder = logger.interaction({
    question: turn.question,
    model: index % 2 === 0 ? 'gpt-4o' : 'deepseek-chat',
    provider: index % 2 === 0 ? 'openai' : 'deepseek',
    baseUrl: index % 2 === 0 ? 'https://api.openai.com/v1' : 'https://api.deepseek.com',
    cluster: 'prod-eu',
  });
  const assistant = it.time('execute_assistant');
  for (const t of turn.thoughts) it.thought(t);
  let failed: string | undefined;
  const outcomes: string[] = [];
  let allDone = true;
  for (const a of turn.actions) {
    try {
      const out = await executor.execute(a.name, a.params, { interaction: it });
      if (out.status === 'rejected') {
        allDone = false;
        outcomes.push(`I did not run ${a.name}: the approval was denied (${out.reason}).`);
      }
    } catch (err) {
      failed = err instanceof Error ? err.message : String(err);
      allDone = false;
      outcomes.push(`${a.name} failed: ${failed}`);
    }
  }
  it.assistantDuration(assistant());
  it.usage({ inputTokens: 850 + 120 * index, outputTokens: 140 + 30 * index });
  it.answer(allDone ? turn.answer : outcomes.join(' '));
  return it.end(failed === undefined ? { status: 'success' } : { status: 'error', errorMessage: failed });
}

/** Runs every demo turn through the logger; returns the interaction ids in order. */
export async function runDemoAgent(logger: AuditLogger): Promise<string[]> {
  const executor = demoExecutor(logger);
  const ids: string[] = [];
  for (const [i, turn] of DEMO_TURNS.entries()) ids.push(await runTurn(logger, executor, turn, i));
  await logger.flush();
  return ids;
}
