import { uuidv7, type Storage } from '../../core/index.js';
import { createAuditLogger } from '../../sdk/index.js';
import { runDemoAgent } from './demo-agent.js';

/**
 * Fills a new embedded server with the demo agent's runs (two sessions of two users), so the
 * dashboard a new user opens shows a complete audited run. Returns the number of interactions.
 */
export async function seedDemo(storage: Storage, orgId: string): Promise<number> {
  let n = 0;
  for (const userId of ['alice', 'bob']) {
    const logger = createAuditLogger({ storage, flushOnExit: false, context: { orgId, userId, agentId: 'ops-copilot', sessionId: uuidv7() } });
    try {
      n += (await runDemoAgent(logger)).length;
    } finally {
      await logger.shutdown();
    }
  }
  return n;
}
