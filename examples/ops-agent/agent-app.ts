/**
 * The ops agent's HTTP API: POST /api/ask { question } runs the agent loop. It shows the three
 * integrations working together: the Express middleware opens one interaction per request (session
 * cookie, client IP, user agent), the OpenAI wrapper adds every model call to it (model, usage,
 * timings, what the model asked for), and the executor runs the tools the model picks, asking the
 * approval hook first for the risky ones (each call a tool call of the interaction, with its
 * seed-000 action and approval events).
 */
import express, { type Express } from 'express';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { createActionExecutor, type ActionExecutor } from '../../src/sdk/executor/index.js';
import { auditExpress, type AuditScope } from '../../src/sdk/integrations/http-middleware/express.js';
import { auditOpenAI } from '../../src/sdk/integrations/openai/index.js';
import type { AuditLogger } from '../../src/sdk/index.js';
import { onCallApproval, opsActions } from './ops-tools.js';

const SYSTEM = 'You are OpsAgent, a Kubernetes copilot for the prod-eu cluster. Use the tools; ask before changing anything.';
const fn = (name: string, description: string, properties: Record<string, { type: string }>): ChatCompletionTool => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required: Object.keys(properties) } },
});
const TOOLS: ChatCompletionTool[] = [
  fn('get_pods', 'List the pods of a namespace with restarts and status', { namespace: { type: 'string' } }),
  fn('get_logs', 'Read the recent logs of a pod', { namespace: { type: 'string' }, pod: { type: 'string' } }),
  fn('restart_deployment', 'Rolling-restart a deployment (needs approval)', { namespace: { type: 'string' }, deployment: { type: 'string' } }),
  fn('delete_namespace', 'Delete a namespace and everything in it (needs approval)', { namespace: { type: 'string' } }),
];

async function runTool(executor: ActionExecutor, turn: AuditScope, call: { id: string; function: { name: string; arguments: string } }, userId: string): Promise<string> {
  const params = JSON.parse(call.function.arguments) as Record<string, unknown>;
  try {
    // actionId = the model's tool call id: the action events and the tool call of the interaction share it
    const out = await executor.execute(call.function.name, params, { interaction: turn, actionId: call.id, context: { sessionId: turn.get('sessionId'), userId } });
    return out.status === 'completed' ? JSON.stringify(out.result) : `rejected by ${out.approver ?? 'policy'}: ${out.reason}`;
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The agent loop: ask the model, run the tools it asks for, until it answers (at most 6 turns). */
async function answer(openai: OpenAI, executor: ActionExecutor, turn: AuditScope, question: string, userId: string): Promise<string> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: question },
  ];
  for (let step = 0; step < 6; step++) {
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages, tools: TOOLS });
    const message = completion.choices[0]!.message;
    messages.push(message);
    const calls = (message.tool_calls ?? []).filter((c) => c.type === 'function');
    if (calls.length === 0) return message.content ?? '';
    for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: await runTool(executor, turn, call, userId) });
  }
  turn.setStatus('timeout', 'no answer after 6 model turns');
  return 'I could not finish in 6 steps.';
}

export function createOpsAgentApp(options: { logger: AuditLogger; openaiBaseURL: string }): Express {
  const { logger } = options;
  const openai = auditOpenAI(new OpenAI({ apiKey: 'sk-example-not-used', baseURL: options.openaiBaseURL, maxRetries: 0 }), { logger });
  const executor = createActionExecutor({ logger, actions: opsActions, approvalHook: onCallApproval });
  const audit = auditExpress({
    logger,
    routes: ['/api/ask'],
    identify: (request) => ({ userId: request.header('x-user') ?? 'anonymous' }),
    defaults: { cluster: 'prod-eu' },
  });

  const app = express();
  app.use(express.json());
  app.use(audit.middleware);
  app.post('/api/ask', async (req, res) => {
    const turn = res.locals.audit as AuditScope;
    const asked = (req.body as { question?: unknown }).question;
    const question = typeof asked === 'string' ? asked : '';
    turn.set({ question });
    const text = await answer(openai, executor, turn, question, req.header('x-user') ?? 'anonymous');
    res.json({ answer: text, interactionId: turn.interactionId });
  });
  app.use(audit.errorHandler);
  return app;
}
