/**
 * The README's 5-minute tour, runnable: `npx tsx examples/quickstart.ts`.
 * (Inside this repository the imports are relative; an application imports 'auditrail/sdk' and
 * 'auditrail/storage/file'.)
 */
import { createActionExecutor, createAuditLogger } from '../src/sdk/index.js';
import { createFileStorage } from '../src/storage/file/index.js';

const listPods = async () => [{ name: 'payments-7f9', restarts: 14, reason: 'OOMKilled' }];
const restartDeployment = async (params: Record<string, unknown>) => ({ restarted: params.name });
const askOnCall = async (_action: string, _params: Record<string, unknown>) => true;

const audit = createAuditLogger({
  storage: await createFileStorage({ directory: './.auditrail/quickstart' }),
  context: { orgId: 'acme', userId: 'alice', agentId: 'ops-copilot', sessionId: 's-1' },
});

// 1. An interaction: question, thoughts, tool calls, answer — recorded when it ends.
const turn = audit.interaction({ question: 'Which pods are restarting? Restart payments.', model: 'gpt-4o', cluster: 'prod-eu' });
turn.thought('List pods with restarts > 0 in every namespace.');
await turn.tool('kubectl_get_pods', { allNamespaces: true }, () => listPods());

// 2. Actions through the audited executor, with an approval hook.
const executor = createActionExecutor({
  logger: audit,
  actions: { restart_deployment: { requiresApproval: true, handler: restartDeployment } },
  approvalHook: async ({ actionName, params }) => ({ granted: await askOnCall(actionName, params), approver: 'bob' }),
});
const outcome = await executor.execute('restart_deployment', { name: 'payments' }, { interaction: turn });
// outcome.status is 'completed' or 'rejected': a denied approval is a value, not an exception.

turn.answer(`payments-7f9 restarted 14 times (OOMKilled); restart ${outcome.status}.`);
turn.end();

await audit.flush();
const failed = await audit.queryEvents({ eventTypes: ['action_failed'], from: '2026-01-01T00:00:00Z' });
const trail = await audit.queryEvents({ sessionId: 's-1', order: 'asc' });
console.log(`${trail.items.length} events, ${failed.items.length} failed:`);
for (const e of trail.items) console.log(`  ${e.eventType.padEnd(20)} ${e.actionName} ${e.approver ?? ''}`);
await audit.shutdown(); // flushes everything; also happens on process exit
