/** `npx tsx examples/integrations/mcp.ts`: MCP tool calls through the audited executor, with approval. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { createMemoryStorage } from '../../src/core/index.js';
import { createAuditLogger } from '../../src/sdk/index.js';
import { auditMcpClient } from '../../src/sdk/integrations/mcp/index.js';
import { printRecorded } from './print-interactions.js';

// an MCP server with a read-only and a destructive tool (in a real setup: another process, over stdio or HTTP)
const server = new McpServer({ name: 'k8s-tools', version: '2.3.1', title: 'Kubernetes tools' });
server.registerTool('get_pods', { inputSchema: { namespace: z.string() }, annotations: { readOnlyHint: true } }, ({ namespace }) => ({ content: [{ type: 'text', text: `${namespace}: api-1, api-2` }] }));
server.registerTool('delete_pod', { inputSchema: { pod: z.string() }, annotations: { destructiveHint: true } }, ({ pod }) => ({ content: [{ type: 'text', text: `deleted ${pod}` }] }));
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
const client = new Client({ name: 'ops-agent', version: '1.0.0' });
await Promise.all([server.connect(serverSide), client.connect(clientSide)]);

const logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'acme', userId: 'alice', agentId: 'ops-agent', sessionId: 's-1' } });
const k8s = auditMcpClient(client, { logger, approvalHook: ({ params }) => ({ granted: params.pod !== 'api-1', approver: 'oncall:bob', reason: 'api-1 serves traffic' }) });
console.log(await k8s.callTool({ name: 'get_pods', arguments: { namespace: 'payments' } }));
console.log(await k8s.callTool({ name: 'delete_pod', arguments: { pod: 'api-1' } }));
await client.close();
await printRecorded(logger);
await logger.shutdown();
