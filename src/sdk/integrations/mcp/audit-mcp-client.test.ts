import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryStorage, isAuditrailError, type AuditEvent } from '../../../core/index.js';
import { createActionExecutor } from '../../executor/action-executor.js';
import type { ApprovalRequest } from '../../executor/approval.js';
import { createAuditLogger, type AuditLogger } from '../../logger.js';
import { createAuditScope } from '../scope/audit-scope.js';
import { runWithAudit } from '../scope/current-audit.js';
import { recordedInteractions } from '../test-support/recorded.js';
import { auditMcpClient } from './audit-mcp-client.js';

const context = { orgId: 'org_1', userId: 'alice', agentId: 'ops-agent', sessionId: 's1' };
let logger: AuditLogger;
let client: Client;
let server: McpServer;
const deleted: string[] = [];

async function connect(): Promise<void> {
  server = new McpServer({ name: 'k8s-tools', version: '2.3.1', title: 'Kubernetes tools' });
  server.registerTool('get_pods', { description: 'List pods', inputSchema: { namespace: z.string() }, annotations: { readOnlyHint: true } }, ({ namespace }) => ({
    content: [{ type: 'text', text: `${namespace}: api-1, api-2` }],
  }));
  server.registerTool('delete_pod', { description: 'Delete a pod', inputSchema: { pod: z.string() }, annotations: { destructiveHint: true } }, ({ pod }) => {
    deleted.push(pod);
    return { content: [{ type: 'text', text: `deleted ${pod}` }] };
  });
  server.registerTool('scale', { inputSchema: { replicas: z.number() } }, ({ replicas }) => ({
    content: [{ type: 'text', text: `cannot scale to ${replicas}: quota exceeded` }],
    isError: true,
  }));
  server.registerTool('crash', {}, () => {
    throw new Error('kubeconfig missing');
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: 'auditrail-test', version: '1.0.0' });
  await Promise.all([server.connect(b), client.connect(a)]);
}

async function trail(): Promise<AuditEvent[]> {
  await logger.flush();
  return (await logger.queryEvents({ limit: 1000, order: 'asc' })).items;
}
const types = (events: AuditEvent[]) => events.map((e) => e.eventType);

beforeEach(async () => {
  deleted.length = 0;
  logger = createAuditLogger({ storage: createMemoryStorage(), context, flushOnExit: false, onDiagnostic: () => {} });
  await connect();
});
afterEach(async () => {
  await client.close();
  await server.close();
  await logger.shutdown();
});

describe('auditMcpClient', () => {
  it('records a tool call as started then completed, with the MCP server and capability on both events', async () => {
    const mcp = auditMcpClient(client, { logger });
    const result = await mcp.callTool({ name: 'get_pods', arguments: { namespace: 'payments' } }, { actionId: 'act_1' });
    expect(result).toEqual({ content: [{ type: 'text', text: 'payments: api-1, api-2' }] });
    const events = await trail();
    expect(types(events)).toEqual(['action_started', 'action_completed']);
    for (const e of events) {
      expect(e).toMatchObject({
        ...context,
        actionId: 'act_1',
        actionName: 'get_pods',
        actionParams: { namespace: 'payments' },
        capabilityType: 'mcp_tool',
        capabilitySource: 'mcp',
        capabilityVersion: '2.3.1',
        mcpServerId: 'k8s-tools',
        mcpServerName: 'Kubernetes tools',
        requiresApproval: false,
      });
    }
    expect(events[1]).toMatchObject({ success: true, metadata: { result } });
    expect(events[1]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('asks for approval of destructive tools and runs them when granted', async () => {
    const asked: ApprovalRequest[] = [];
    const mcp = auditMcpClient(client, { logger, approvalHook: (r) => (asked.push(r), { granted: true, approver: 'bob', reason: 'change window' }) });
    const result = await mcp.callTool({ name: 'delete_pod', arguments: { pod: 'api-1' } });
    expect(result.content).toEqual([{ type: 'text', text: 'deleted api-1' }]);
    expect(deleted).toEqual(['api-1']);
    const events = await trail();
    expect(types(events)).toEqual(['action_started', 'approval_requested', 'approval_granted', 'action_completed']);
    expect(events.every((e) => e.requiresApproval && e.mcpServerId === 'k8s-tools')).toBe(true);
    expect(events[2]).toMatchObject({ approvalGranted: true, approver: 'bob', reason: 'change window' });
    expect(asked[0]).toMatchObject({ actionName: 'delete_pod', params: { pod: 'api-1' }, mcpServer: { id: 'k8s-tools', name: 'Kubernetes tools' }, capability: { type: 'mcp_tool' } });
  });

  it('does not call a denied tool, records the rejection and answers an isError result', async () => {
    const mcp = auditMcpClient(client, { logger, approvalHook: () => ({ granted: false, approver: 'bob', reason: 'not during peak' }) });
    const result = await mcp.callTool({ name: 'delete_pod', arguments: { pod: 'api-1' } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Tool call rejected: not during peak' }], isError: true });
    expect(deleted).toEqual([]);
    const events = await trail();
    expect(types(events)).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
    expect(events[3]).toMatchObject({ success: false, reason: 'not during peak', approver: 'bob' });
  });

  it('rejects a tool that needs approval when there is no hook (fail closed)', async () => {
    const mcp = auditMcpClient(client, { logger, requiresApproval: (name) => name === 'get_pods' });
    const result = await mcp.callTool({ name: 'get_pods', arguments: { namespace: 'x' } });
    expect(result.isError).toBe(true);
    expect(types(await trail())).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
  });

  it('records an isError result as action_failed with the tool text, and returns the result', async () => {
    const mcp = auditMcpClient(client, { logger });
    const result = await mcp.callTool({ name: 'scale', arguments: { replicas: 50 } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'cannot scale to 50: quota exceeded' }], isError: true });
    const events = await trail();
    expect(types(events)).toEqual(['action_started', 'action_failed']);
    expect(events[1]).toMatchObject({ success: false, severity: 'error', errorMessage: expect.stringContaining('scale: cannot scale to 50: quota exceeded') });
  });

  it('records a tool that throws on the server as action_failed', async () => {
    const mcp = auditMcpClient(client, { logger });
    const result = await mcp.callTool({ name: 'crash' });
    expect(result.isError).toBe(true);
    const events = await trail();
    expect(types(events)).toEqual(['action_started', 'action_failed']);
    expect(events[1]!.errorMessage).toContain('kubeconfig missing');
  });

  it('records a tool the server does not have as started then failed, and throws ACTION_UNKNOWN', async () => {
    const mcp = auditMcpClient(client, { logger });
    const err = await mcp.callTool({ name: 'rm_rf' }).catch((e: unknown) => e);
    expect(isAuditrailError(err, 'ACTION_UNKNOWN')).toBe(true);
    expect(types(await trail())).toEqual(['action_started', 'action_failed']);
  });

  it('uses the serverId and serverName given, and a prefix for the action names', async () => {
    const mcp = auditMcpClient(client, { logger, serverId: 'srv-eu-1', serverName: 'k8s (eu)', prefix: 'k8s.' });
    await mcp.callTool({ name: 'get_pods', arguments: { namespace: 'a' } });
    const events = await trail();
    expect(events[1]).toMatchObject({ actionName: 'k8s.get_pods', mcpServerId: 'srv-eu-1', mcpServerName: 'k8s (eu)' });
  });

  it('plugs into an executor beside registered actions', async () => {
    const mcp = auditMcpClient(client, { prefix: 'k8s.' });
    const executor = createActionExecutor({ logger, actions: { page_oncall: { handler: () => 'paged' } }, adapters: [mcp.source], approvalHook: () => true });
    const a = await executor.execute('k8s.get_pods', { namespace: 'b' });
    const b = await executor.execute('page_oncall');
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    const events = await trail();
    expect(events.map((e) => [e.eventType, e.actionName, e.mcpServerId ?? null])).toEqual([
      ['action_started', 'k8s.get_pods', 'k8s-tools'],
      ['action_completed', 'k8s.get_pods', 'k8s-tools'],
      ['action_started', 'page_oncall', null],
      ['action_completed', 'page_oncall', null],
    ]);
  });

  it('adds calls to the current interaction as tool calls linked to their events', async () => {
    const mcp = auditMcpClient(client, { logger, approvalHook: () => false });
    const scope = createAuditScope(logger, { question: 'clean up payments', model: 'gpt-4o' });
    await runWithAudit(scope, async () => {
      await mcp.callTool({ name: 'get_pods', arguments: { namespace: 'payments' } });
      await mcp.callTool({ name: 'delete_pod', arguments: { pod: 'api-1' } });
    });
    const id = scope.end();
    const [i] = await recordedInteractions(logger);
    expect(i!.interactionId).toBe(id);
    expect(i!.toolCalls.map((t) => [t.name, t.status])).toEqual([
      ['get_pods', 'success'],
      ['delete_pod', 'rejected'],
    ]);
    const events = await trail();
    expect(events.every((e) => e.interactionId === id)).toBe(true);
    expect(new Set(events.map((e) => e.actionId))).toEqual(new Set(i!.toolCalls.map((t) => t.actionId)));
  });

  it('sees tools the server adds after the first list', async () => {
    const mcp = auditMcpClient(client, { logger });
    await mcp.callTool({ name: 'get_pods', arguments: { namespace: 'a' } });
    server.registerTool('drain_node', { inputSchema: { node: z.string() } }, ({ node }) => ({ content: [{ type: 'text', text: `drained ${node}` }] }));
    const result = await mcp.callTool({ name: 'drain_node', arguments: { node: 'n1' } });
    expect(result.content).toEqual([{ type: 'text', text: 'drained n1' }]);
  });

  it('refuses bad options and a client that is not an MCP client', () => {
    expect(() => auditMcpClient(client, { logger: {} as never, requiresApproval: 'yes' as never })).toThrow(/logger.*requiresApproval/s);
    expect(() => auditMcpClient({} as never)).toThrow(/must be an MCP Client/);
  });
});
