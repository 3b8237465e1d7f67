/** `npx tsx examples/integrations/langchain.ts`: a LangChain chain recorded by the callback handler. */
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { createMemoryStorage } from '../../src/core/index.js';
import { createAuditLogger } from '../../src/sdk/index.js';
import { AuditCallbackHandler } from '../../src/sdk/integrations/langchain/index.js';
import { printRecorded } from './print-interactions.js';

const logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'acme', sessionId: 's-1' } });
const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You are an ops copilot.'],
  ['human', '{question}'],
]);
const model = new FakeListChatModel({ responses: ['payments-7f9 is OOMKilled; raise its memory limit.'] }); // any chat model
const chain = prompt.pipe(model).withConfig({ callbacks: [new AuditCallbackHandler({ logger })] });
console.log((await chain.invoke({ question: 'Why does payments restart?' })).content);
await printRecorded(logger);
await logger.shutdown();
