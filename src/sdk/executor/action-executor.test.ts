import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage, isAuditrailError, type AuditEvent, type MemoryStorage } from '../../core/index.js';
import { createAuditLogger, type AuditLogger } from '../logger.js';
import { createActionExecutor } from './action-executor.js';
import type { ActionDefinition, ActionSource } from './action-source.js';
import type { ApprovalRequest } from './approval.js';

const context = { orgId: 'org_1', userId: 'user_1', agentId: 'agent_1', sessionId: 'session_1' };
let storage: MemoryStorage;
let logger: AuditLogger;

beforeEach(() => {
  storage = createMemoryStorage();
  logger = createAuditLogger({ storage, flushOnExit: false, onDiagnostic: () => {} });
});
afterEach(async () => {
  vi.useRealTimers();
  await logger.shutdown();
});

const actions: Record<string, ActionDefinition> = {
  get_pods: { handler: (p) => ({ pods: 3, namespace: p.namespace }), capability: { type: 'skill', source: 'builtin', version: '1.0.0' } },
  broken: {
    handler: () => {
      throw new Error('kubectl not found');
    },
  },
  delete_pod: { handler: (p) => `deleted ${String(p.pod)}`, requiresApproval: true, capability: { type: 'skill', source: 'builtin' } },
};

async function trail(actionId?: string): Promise<AuditEvent[]> {
  await logger.flush();
  return (await storage.queryEvents({ limit: 1000, order: 'asc', ...(actionId ? { actionId } : {}) })).items;
}
const types = (events: AuditEvent[]) => events.map((e) => e.eventType);

describe('audited action executor (seed-000 integration scenarios)', () => {
  it('audits a successful action: started then completed with duration and result', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const slow: ActionDefinition = {
      handler: () => {
        vi.setSystemTime(Date.now() + 42);
        return 'ok';
      },
    };
    const executor = createActionExecutor({ actions: { ...actions, slow }, logger, context });
    const out = await executor.execute('slow', { a: 1 });
    expect(out).toMatchObject({ status: 'completed', result: 'ok', durationMs: 42 });
    const events = await trail(out.actionId);
    expect(types(events)).toEqual(['action_started', 'action_completed']);
    expect(events[1]).toMatchObject({ success: true, durationMs: 42, metadata: { result: 'ok' }, actionParams: { a: 1 }, ...context });
  });

  it('audits a failed action: started then failed with the error, and rethrows it', async () => {
    const executor = createActionExecutor({ actions, logger, context });
    await expect(executor.execute('broken', {}, { actionId: 'act_b' })).rejects.toThrow('kubectl not found');
    const events = await trail('act_b');
    expect(types(events)).toEqual(['action_started', 'action_failed']);
    expect(events[1]).toMatchObject({ success: false, errorMessage: 'kubectl not found', severity: 'error' });
  });

  it('audits an approval granted: started, requested, granted, completed', async () => {
    const requests: ApprovalRequest[] = [];
    const executor = createActionExecutor({
      actions,
      logger,
      context,
      approvalHook: (r) => {
        requests.push(r);
        return { granted: true, approver: 'alice', reason: 'maintenance window' };
      },
    });
    const out = await executor.execute('delete_pod', { pod: 'api-1' });
    expect(out).toMatchObject({ status: 'completed', result: 'deleted api-1' });
    const events = await trail(out.actionId);
    expect(types(events)).toEqual(['action_started', 'approval_requested', 'approval_granted', 'action_completed']);
    expect(events.every((e) => e.requiresApproval)).toBe(true);
    expect(events[2]).toMatchObject({ approvalGranted: true, approver: 'alice', reason: 'maintenance window' });
    expect(requests[0]).toMatchObject({ actionId: out.actionId, actionName: 'delete_pod', params: { pod: 'api-1' }, context });
  });

  it('audits an approval denied: started, requested, denied, rejected, and returns a rejected result', async () => {
    const handler = vi.fn();
    const executor = createActionExecutor({ actions: { ...actions, delete_pod: { ...actions.delete_pod!, handler } }, logger, context, approvalHook: () => false });
    const out = await executor.execute('delete_pod', { pod: 'api-1' });
    expect(out).toMatchObject({ status: 'rejected', reason: 'User denied approval' });
    expect(handler).not.toHaveBeenCalled();
    const events = await trail(out.actionId);
    expect(types(events)).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
    expect(events[2]).toMatchObject({ approvalGranted: false, severity: 'warning' });
    expect(events[3]).toMatchObject({ success: false, reason: 'User denied approval', approvalGranted: false });
  });

  it('captures capability, MCP server and metadata on every event', async () => {
    const mcp: ActionSource = {
      name: 'mcp',
      resolve: (name) =>
        name === 'search_docs'
          ? { requiresApproval: false, capability: { type: 'mcp_tool', source: 'mcp', version: '2025-06-18' }, mcpServer: { id: 'srv_1', name: 'docs' }, invoke: async (p) => `found ${String(p.q)}` }
          : undefined,
    };
    const executor = createActionExecutor({ actions, adapters: [mcp], logger, context });
    const out = await executor.execute('search_docs', { q: 'ingress' }, { metadata: { planStep: 3 } });
    const events = await trail(out.actionId);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({ capabilityType: 'mcp_tool', capabilitySource: 'mcp', capabilityVersion: '2025-06-18', mcpServerId: 'srv_1', mcpServerName: 'docs' });
      expect(e.metadata).toMatchObject({ planStep: 3 });
    }
  });

  it('makes action events queryable by action name', async () => {
    const executor = createActionExecutor({ actions, logger, context });
    await executor.execute('get_pods', { namespace: 'a' });
    await executor.execute('get_pods', { namespace: 'b' });
    await executor.execute('broken').catch(() => undefined);
    await logger.flush();
    expect(await logger.countEvents({ actionName: 'get_pods' })).toBe(4);
    expect(await logger.countEvents({ actionName: 'get_pods', eventTypes: ['action_completed'] })).toBe(2);
    expect(await logger.countEvents({ actionName: 'broken', success: false })).toBe(1);
  });

  it('works unchanged without a logger', async () => {
    const executor = createActionExecutor({ actions, approvalHook: () => true });
    await expect(executor.execute('get_pods', { namespace: 'x' })).resolves.toMatchObject({ status: 'completed', result: { pods: 3, namespace: 'x' } });
    await expect(executor.execute('delete_pod', { pod: 'p' })).resolves.toMatchObject({ status: 'completed' });
    await expect(executor.execute('broken')).rejects.toThrow('kubectl not found');
  });
});

describe('audited action executor: failing closed and linking', () => {
  it('rejects with APPROVAL_HOOK_MISSING when approval is required and there is no hook', async () => {
    const executor = createActionExecutor({ actions, logger, context });
    const out = await executor.execute('delete_pod', { pod: 'p' });
    expect(out.status).toBe('rejected');
    if (out.status !== 'rejected') return;
    expect(isAuditrailError(out.error, 'APPROVAL_HOOK_MISSING')).toBe(true);
    expect(types(await trail(out.actionId))).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('approval service down');
      },
    ],
    ['answers nonsense', () => 'yes' as never],
  ])('denies with APPROVAL_HOOK_FAILED when the hook %s', async (_what, approvalHook) => {
    const executor = createActionExecutor({ actions, logger, context, approvalHook });
    const out = await executor.execute('delete_pod', { pod: 'p' });
    expect(out).toMatchObject({ status: 'rejected', error: { code: 'AUDITRAIL_ERR_APPROVAL_HOOK_FAILED' } });
    const events = await trail(out.actionId);
    expect(types(events)).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
    expect(events[3]!.reason).toContain('Approval hook failed');
  });

  it('throws ACTION_UNKNOWN for an unknown action, after recording started and failed', async () => {
    const executor = createActionExecutor({ actions, logger, context });
    const err = await executor.execute('rm_rf', {}, { actionId: 'act_u' }).catch((e: unknown) => e);
    expect(isAuditrailError(err, 'ACTION_UNKNOWN')).toBe(true);
    const events = await trail('act_u');
    expect(types(events)).toEqual(['action_started', 'action_failed']);
    expect(events[1]!.errorMessage).toContain('Unknown action');
  });

  it('adds the call to an interaction as a tool call with the actionId, and links the events to it', async () => {
    const executor = createActionExecutor({ actions, logger, context, approvalHook: () => ({ granted: false, approver: 'bob', reason: 'not now' }) });
    const i = logger.withContext(context).interaction({ question: 'clean up', model: 'gpt-4o' });
    const ok = await executor.execute('get_pods', { namespace: 'n' }, { interaction: i });
    const no = await executor.execute('delete_pod', { pod: 'p' }, { interaction: i });
    const id = i.end();
    await logger.flush();
    const stored = await storage.getInteraction(id);
    expect(stored!.toolCalls).toEqual([
      expect.objectContaining({ sequence: 0, name: 'get_pods', status: 'success', actionId: ok.actionId, observation: { pods: 3, namespace: 'n' } }),
      expect.objectContaining({ sequence: 1, name: 'delete_pod', status: 'rejected', actionId: no.actionId, errorMessage: 'not now' }),
    ]);
    expect(await logger.countEvents({ interactionId: id })).toBe(6);
  });

  it('refuses bad options, listing every problem', () => {
    expect(() => createActionExecutor({ actions: { x: {} as never }, approvalHook: 'yes' as never })).toThrow(/actions.*approvalHook/s);
  });
});
