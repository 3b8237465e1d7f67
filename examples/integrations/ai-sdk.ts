/** `npx tsx examples/integrations/ai-sdk.ts`: an AI SDK run with a tool, recorded step by step. */
import { generateText as baseGenerateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';
import { createMemoryStorage } from '../../src/core/index.js';
import { createAuditLogger } from '../../src/sdk/index.js';
import { auditGenerateText } from '../../src/sdk/integrations/ai-sdk/index.js';
import { printRecorded } from './print-interactions.js';

const logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'acme', userId: 'alice', agentId: 'ops-agent', sessionId: 's-1' } });
const generateText = auditGenerateText(baseGenerateText, { logger });

const usage = { inputTokens: { total: 30, noCache: 30, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 9, text: 9, reasoning: 0 } };
// a scripted model (use any provider's model instead): first a tool call, then the answer
const model = new MockLanguageModelV3({
  modelId: 'ops-model',
  doGenerate: [
    { content: [{ type: 'reasoning', text: 'Look at the pods.' }, { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_pods', input: '{"namespace":"payments"}' }], finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage, warnings: [] },
    { content: [{ type: 'text', text: 'payments-7f9 is crash looping.' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] },
  ],
});
const tools = { get_pods: tool({ inputSchema: z.object({ namespace: z.string() }), execute: async ({ namespace }) => [`${namespace}-7f9 CrashLoopBackOff`] }) };
const { text } = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'What is wrong with payments?' });
console.log(text);
await printRecorded(logger);
await logger.shutdown();
