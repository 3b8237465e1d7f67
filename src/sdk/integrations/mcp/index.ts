/** MCP client tool calls through the audited action executor (subpath `auditrail/sdk/mcp`). */
export { auditMcpClient, type AuditedMcpClient, type AuditMcpClientOptions, type McpCallOptions, type McpCallToolResult, type McpClientLike, type McpToolInfo } from './audit-mcp-client.js';
