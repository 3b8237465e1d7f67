import { z } from 'zod';
import { AuditrailError, LIMITS } from '../../../core/index.js';
import { createActionExecutor, type ActionExecutor } from '../../executor/action-executor.js';
import type { ActionSource, Capability, McpServer, ResolvedAction } from '../../executor/action-source.js';
import type { ApprovalHook } from '../../executor/approval.js';
import type { InteractionBuilder } from '../../interaction-builder.js';
import type { AuditLogger } from '../../logger.js';
import { LoggerContextSchema, type LoggerContext } from '../../options.js';
import { currentAudit } from '../scope/current-audit.js';
import { isAuditLogger, LOGGER_MESSAGE, parseOptions } from '../shared/parse-options.js';

/** A tool as tools/list describes it (what is read of it). */
export interface McpToolInfo {
  name: string;
  title?: string;
  description?: string;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; [k: string]: unknown };
}

/** A CallToolResult (what is read of it). */
export interface McpCallToolResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  [k: string]: unknown;
}

/** The part of an @modelcontextprotocol/sdk `Client` the adapter uses. */
export interface McpClientLike {
  callTool(params: { name: string; arguments?: Record<string, unknown> }, resultSchema?: undefined, options?: { signal?: AbortSignal }): Promise<McpCallToolResult>;
  listTools(params?: { cursor?: string }): Promise<{ tools: McpToolInfo[]; nextCursor?: string }>;
  getServerVersion(): { name: string; version: string; title?: string } | undefined;
}

const Id = z.string().min(1).max(LIMITS.maxIdLength);
const Schema = z
  .object({
    /** Without a logger calls run the same way and nothing is recorded. */
    logger: z.custom<AuditLogger>(isAuditLogger, { message: LOGGER_MESSAGE }).optional(),
    approvalHook: z.custom<ApprovalHook>((v) => typeof v === 'function', { message: 'must be a function (request) => boolean | { granted }' }).optional(),
    /** Which tools need approval: a boolean for all, or a function. Default: tools annotated destructiveHint: true. */
    requiresApproval: z
      .union([z.boolean(), z.custom<(toolName: string, tool: McpToolInfo) => boolean>((v) => typeof v === 'function', { message: 'must be a boolean or (toolName, tool) => boolean' })])
      .optional(),
    /** Recorded as mcpServerId. Default: the server's name from the initialize handshake. */
    serverId: Id.optional(),
    /** Recorded as mcpServerName. Default: the server's title, else its name. */
    serverName: Id.optional(),
    /** Action names are `${prefix}${tool}` (to tell servers apart in one executor). Default ''. */
    prefix: z.string().max(64).default(''),
    /** Event context (merged over the logger's). */
    context: LoggerContextSchema.optional(),
    /** callTool adds the call to currentAudit() when there is one and no interaction is given. Default true. */
    useCurrentScope: z.boolean().default(true),
  })
  .strict();

export type AuditMcpClientOptions = z.input<typeof Schema>;

export interface McpCallOptions {
  /** Add the call to this interaction (default: currentAudit()). */
  interaction?: InteractionBuilder;
  actionId?: string;
  metadata?: Record<string, unknown>;
  context?: LoggerContext;
}

/**
 * An MCP client's tools as an ActionSource (plug `source` into any executor's `adapters`), plus
 * `callTool`, which runs every tools/call through the audited action executor: action_started,
 * approval for the tools that need it, action_completed with the result, or action_failed when
 * the call throws or the tool answers `isError` (AUDITRAIL_ERR_MCP_TOOL_FAILED).
 */
export interface AuditedMcpClient extends ActionSource {
  readonly source: ActionSource;
  readonly executor: ActionExecutor;
  /**
   * Calls a tool through the executor and returns its CallToolResult as the client would, an
   * `isError` result included. A denied approval returns an `isError` result saying so.
   */
  callTool(params: { name: string; arguments?: Record<string, unknown> }, options?: McpCallOptions): Promise<McpCallToolResult>;
  /** Forgets the cached tools/list (call it on notifications/tools/list_changed). */
  refreshTools(): void;
}

/** The text of a CallToolResult's text parts, for error messages. */
function resultText(r: McpCallToolResult): string {
  const text = (r.content ?? [])
    .map((c) => (typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'text' ? String((c as { text?: unknown }).text) : ''))
    .filter((t) => t !== '')
    .join('\n');
  return text === '' ? 'the tool reported an error' : text;
}

// The result of a failed tool call, kept beside the error the executor records and rethrows.
const failedResults = new WeakMap<AuditrailError, McpCallToolResult>();

/** Wraps an MCP client so that its tool calls are audited actions. */
export function auditMcpClient(client: McpClientLike, options: AuditMcpClientOptions = {}): AuditedMcpClient {
  const o = parseOptions(Schema, options, 'auditMcpClient');
  if (typeof client?.callTool !== 'function' || typeof client.listTools !== 'function') {
    throw new AuditrailError('OPTIONS_INVALID', 'auditMcpClient: client must be an MCP Client (callTool, listTools, getServerVersion)');
  }
  let tools: Promise<Map<string, McpToolInfo>> | undefined;

  async function listAll(): Promise<Map<string, McpToolInfo>> {
    const out = new Map<string, McpToolInfo>();
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor });
      for (const t of page.tools) out.set(t.name, t);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async function find(name: string): Promise<McpToolInfo | undefined> {
    tools ??= listAll();
    let found = (await tools.catch(() => new Map<string, McpToolInfo>())).get(name);
    if (found === undefined) {
      tools = listAll(); // a tool added since the last list
      found = (await tools).get(name);
    }
    return found;
  }

  const server = (): McpServer => {
    const v = client.getServerVersion();
    return { id: o.serverId ?? v?.name, name: o.serverName ?? v?.title ?? v?.name };
  };
  const needsApproval = (name: string, tool: McpToolInfo): boolean =>
    typeof o.requiresApproval === 'function' ? o.requiresApproval(name, tool) === true : (o.requiresApproval ?? tool.annotations?.destructiveHint === true);

  const source: ActionSource = Object.freeze({
    name: `mcp:${o.serverId ?? 'server'}`,
    async resolve(actionName: string): Promise<ResolvedAction | undefined> {
      if (!actionName.startsWith(o.prefix)) return undefined;
      const name = actionName.slice(o.prefix.length);
      const tool = await find(name);
      if (tool === undefined) return undefined;
      const capability: Capability = { type: 'mcp_tool', source: 'mcp', version: client.getServerVersion()?.version };
      return {
        requiresApproval: needsApproval(name, tool),
        capability,
        mcpServer: server(),
        invoke: async (params) => {
          const result = await client.callTool({ name, arguments: params });
          if (result.isError === true) {
            const error = new AuditrailError('MCP_TOOL_FAILED', `${name}: ${resultText(result)}`, { cause: result });
            failedResults.set(error, result);
            throw error;
          }
          return result;
        },
      };
    },
  });

  const executor = createActionExecutor({ adapters: [source], ...(o.logger ? { logger: o.logger } : {}), ...(o.approvalHook ? { approvalHook: o.approvalHook } : {}), ...(o.context ? { context: o.context } : {}) });

  async function callTool(params: { name: string; arguments?: Record<string, unknown> }, call: McpCallOptions = {}): Promise<McpCallToolResult> {
    const interaction = call.interaction ?? (o.useCurrentScope ? currentAudit() : undefined);
    try {
      const out = await executor.execute(`${o.prefix}${params.name}`, params.arguments ?? {}, { ...call, ...(interaction && !interaction.ended ? { interaction } : {}) });
      if (out.status === 'completed') return out.result as McpCallToolResult;
      return { content: [{ type: 'text', text: `Tool call rejected: ${out.reason}` }], isError: true };
    } catch (err) {
      const result = err instanceof AuditrailError ? failedResults.get(err) : undefined;
      if (result !== undefined) return result;
      throw err;
    }
  }

  return Object.freeze({ name: source.name, resolve: (actionName: string) => source.resolve(actionName), source, executor, callTool, refreshTools: () => (tools = undefined) });
}
