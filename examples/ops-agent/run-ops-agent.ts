/** One run of the example: the fake OpenAI server, the agent's API, and a user asking it three questions. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditLogger } from '../../src/sdk/index.js';
import { startFakeOpenAI } from '../../src/sdk/integrations/openai/test-support/fake-openai-server.js';
import { createOpsAgentApp } from './agent-app.js';
import { opsModel } from './ops-model.js';

export const QUESTIONS = [
  'payments keeps crashing, restart it if needed',
  'delete the staging-old namespace',
  'show me the logs of checkout-5d2',
] as const;

export interface OpsAgentAnswer {
  readonly question: string;
  readonly answer: string;
  readonly interactionId: string;
}

export async function runOpsAgent(logger: AuditLogger): Promise<{ answers: OpsAgentAnswer[]; sessionCookie: string }> {
  const model = await startFakeOpenAI({ respond: opsModel });
  const server = createServer(createOpsAgentApp({ logger, openaiBaseURL: model.baseURL }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answers: OpsAgentAnswer[] = [];
  let cookie = '';
  try {
    for (const question of QUESTIONS) {
      const res = await fetch(`${url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'ops-console/2.1 (example)', 'x-user': 'alice', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ question }),
      });
      // the browser's part: keep the session cookie, so the three questions are one session
      cookie ||= res.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const body = (await res.json()) as { answer: string; interactionId: string };
      answers.push({ question, ...body });
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await model.close();
  }
  return { answers, sessionCookie: cookie };
}
