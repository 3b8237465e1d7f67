/**
 * The attribute names the mapping reads: OpenTelemetry GenAI semantic conventions (current, from
 * v1.37: gen_ai.provider.name and gen_ai.*.messages; and older: gen_ai.system, gen_ai.prompt /
 * gen_ai.completion and the per-message events), the Vercel AI SDK's ai.* spans, a few general
 * conventions (user, session, client), and auditrail's own auditrail.* attributes for what no
 * convention covers yet (approvals, rejections, seed-002 fields). docs/otlp.md has the tables.
 */
export const GENAI = Object.freeze({
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  conversationId: 'gen_ai.conversation.id',
  agentId: 'gen_ai.agent.id',
  agentName: 'gen_ai.agent.name',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  toolArguments: 'gen_ai.tool.call.arguments',
  toolResult: 'gen_ai.tool.call.result',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'gen_ai.usage.cache_read.input_tokens',
  errorType: 'error.type',
  // older dialect (before v1.37; some from OpenLLMetry)
  prompt: 'gen_ai.prompt',
  completion: 'gen_ai.completion',
  promptTokens: 'gen_ai.usage.prompt_tokens',
  completionTokens: 'gen_ai.usage.completion_tokens',
  totalTokens: 'gen_ai.usage.total_tokens',
  eventContent: 'gen_ai.event.content',
});

/** gen_ai.operation.name values. */
export const OPERATIONS = Object.freeze({
  agent: new Set(['invoke_agent']),
  llm: new Set(['chat', 'text_completion', 'generate_content']),
  tool: new Set(['execute_tool']),
});

/** Older per-message events (log records, or span events), by name: the message role they carry. */
export const MESSAGE_EVENTS: ReadonlyMap<string, { readonly role: string; readonly output: boolean }> = new Map([
  ['gen_ai.system.message', { role: 'system', output: false }],
  ['gen_ai.user.message', { role: 'user', output: false }],
  ['gen_ai.assistant.message', { role: 'assistant', output: false }],
  ['gen_ai.tool.message', { role: 'tool', output: false }],
  ['gen_ai.choice', { role: 'assistant', output: true }],
]);

/** The v1.37+ event carrying a whole call's messages as attributes (same names as on spans). */
export const INFERENCE_DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

/** Span events of the v1.26-era dialect carrying gen_ai.prompt / gen_ai.completion. */
export const CONTENT_EVENTS = Object.freeze({ prompt: 'gen_ai.content.prompt', completion: 'gen_ai.content.completion' });

export const GENERAL = Object.freeze({
  userId: 'user.id',
  endUserId: 'enduser.id',
  sessionId: 'session.id',
  clientAddress: 'client.address',
  userAgent: 'user_agent.original',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  serviceName: 'service.name',
  k8sCluster: 'k8s.cluster.name',
  exceptionMessage: 'exception.message',
  exceptionType: 'exception.type',
});

/** The Vercel AI SDK's telemetry (experimental_telemetry), v4 to v6. */
export const VERCEL = Object.freeze({
  operationId: 'ai.operationId',
  modelId: 'ai.model.id',
  modelProvider: 'ai.model.provider',
  prompt: 'ai.prompt',
  promptMessages: 'ai.prompt.messages',
  responseText: 'ai.response.text',
  responseReasoning: 'ai.response.reasoning',
  responseToolCalls: 'ai.response.toolCalls',
  responseFinishReason: 'ai.response.finishReason',
  responseModel: 'ai.response.model',
  responseId: 'ai.response.id',
  msToFirstChunk: 'ai.response.msToFirstChunk',
  inputTokens: 'ai.usage.inputTokens',
  outputTokens: 'ai.usage.outputTokens',
  totalTokens: 'ai.usage.totalTokens',
  reasoningTokens: 'ai.usage.reasoningTokens',
  cachedInputTokens: 'ai.usage.cachedInputTokens',
  promptTokens: 'ai.usage.promptTokens',
  completionTokens: 'ai.usage.completionTokens',
  toolName: 'ai.toolCall.name',
  toolCallId: 'ai.toolCall.id',
  toolArgs: 'ai.toolCall.args',
  toolInput: 'ai.toolCall.input',
  toolResult: 'ai.toolCall.result',
  toolOutput: 'ai.toolCall.output',
  metadataPrefix: 'ai.telemetry.metadata.',
  functionId: 'ai.telemetry.functionId',
});

/** ai.operationId values: the outer calls (one interaction each), the model calls, the tool calls. */
export const VERCEL_OPERATIONS = Object.freeze({
  agent: new Set(['ai.generateText', 'ai.streamText', 'ai.generateObject', 'ai.streamObject']),
  llm: new Set(['ai.generateText.doGenerate', 'ai.streamText.doStream', 'ai.generateObject.doGenerate', 'ai.streamObject.doStream']),
  tool: new Set(['ai.toolCall']),
});

/** auditrail's own attributes (docs/otlp.md, "auditrail.* attributes"). */
export const AUDITRAIL = Object.freeze({
  approvalRequired: 'auditrail.approval.required',
  approvalGranted: 'auditrail.approval.granted',
  approvalApprover: 'auditrail.approval.approver',
  approvalReason: 'auditrail.approval.reason',
  actionRejected: 'auditrail.action.rejected',
  rejectionReason: 'auditrail.action.rejection_reason',
  actionId: 'auditrail.action.id',
  capabilityType: 'auditrail.capability.type',
  capabilitySource: 'auditrail.capability.source',
  capabilityVersion: 'auditrail.capability.version',
  mcpServerId: 'auditrail.mcp.server.id',
  mcpServerName: 'auditrail.mcp.server.name',
  severity: 'auditrail.severity',
  cluster: 'auditrail.cluster',
  baseUrl: 'auditrail.base_url',
  interactionId: 'auditrail.interaction.id',
  interactionStatus: 'auditrail.interaction.status',
  assistantDurationMs: 'auditrail.duration.assistant_ms',
  parseDurationMs: 'auditrail.duration.parse_ms',
  metrics: 'auditrail.metrics',
  usageTotalTokens: 'auditrail.usage.total_tokens',
  usageReasoningTokens: 'auditrail.usage.reasoning_tokens',
  metadata: 'auditrail.metadata',
  toolCallSequence: 'auditrail.tool_call.sequence',
  toolCallStatus: 'auditrail.tool_call.status',
  // one seed-000 event per span (what createOtlpExporter sends for action events)
  eventId: 'auditrail.event.id',
  eventType: 'auditrail.event.type',
  actionName: 'auditrail.action.name',
  actionParams: 'auditrail.action.params',
  reason: 'auditrail.event.reason',
  success: 'auditrail.action.success',
  errorMessage: 'auditrail.action.error_message',
  durationMs: 'auditrail.action.duration_ms',
});

/** Span events on an execute_tool span that time an approval (attributes: approver, reason). */
export const APPROVAL_EVENTS = Object.freeze({
  requested: 'auditrail.approval_requested',
  granted: 'auditrail.approval_granted',
  denied: 'auditrail.approval_denied',
});
