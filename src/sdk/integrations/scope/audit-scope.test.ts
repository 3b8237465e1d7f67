import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../../core/index.js';
import { createAuditLogger } from '../../logger.js';
import { createAuditScope } from './audit-scope.js';
import { currentAudit, runWithAudit } from './current-audit.js';

const logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'o', sessionId: 's' }, flushOnExit: false, onDiagnostic: () => {} });
afterEach(() => logger.flush());

const stored = async (id: string) => {
  await logger.flush();
  const { items } = await logger.queryInteractions({ limit: 1000 });
  return items.find((i) => i.interactionId === id)!;
};

describe('audit scope', () => {
  it('lets a set value win over suggestions, and a request suggestion over a model one', async () => {
    const scope = createAuditScope(logger);
    scope.suggest({ question: 'prompt seen by the model', model: 'gpt-4o-mini', provider: 'openai' }, 'model');
    scope.suggest({ question: 'question typed by the user', model: 'ignored?' }, 'request');
    scope.suggest({ question: 'second model prompt' }, 'model');
    scope.set({ model: 'gpt-4o' });
    scope.suggest({ model: 'later suggestion' }, 'request');
    expect(scope.get('question')).toBe('question typed by the user');
    expect(scope.get('cluster')).toBeUndefined();
    const i = await stored(scope.end());
    expect(i).toMatchObject({ question: 'question typed by the user', model: 'gpt-4o', provider: 'openai', sessionId: 's' });
  });

  it('records the defaults when nobody fills question and model', async () => {
    const i = await stored(createAuditScope(logger, {}, { defaultModel: 'unknown' }).end());
    expect(i).toMatchObject({ question: '', model: 'unknown', status: 'success' });
  });

  it('sums usage, merges metadata and ends with the status it was given', async () => {
    const scope = createAuditScope(logger, { question: 'q', model: 'm' }, { metadata: { a: 1 } });
    scope.addUsage({ inputTokens: 10, outputTokens: 5, totalTokens: 15 }).addUsage({ inputTokens: 7, outputTokens: 3, totalTokens: 10, reasoningTokens: 2 });
    scope.addMetadata({ b: 2 }).setStatus('timeout', 'model took too long');
    const i = await stored(scope.end());
    expect(i).toMatchObject({ usage: { inputTokens: 17, outputTokens: 8, totalTokens: 25, reasoningTokens: 2 }, metadata: { a: 1, b: 2 }, status: 'timeout', errorMessage: 'model took too long' });
  });

  it('ignores changes after it ended', async () => {
    const scope = createAuditScope(logger, { question: 'q', model: 'm' });
    const id = scope.end();
    scope.set({ question: 'changed' }).addMetadata({ late: true }).addUsage({ inputTokens: 1 });
    expect((await stored(id)).question).toBe('q');
    expect((await stored(id)).metadata).toEqual({});
  });

  it('is the current audit inside runWithAudit, across awaits, and not outside', async () => {
    const scope = createAuditScope(logger);
    expect(currentAudit()).toBeUndefined();
    await runWithAudit(scope, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentAudit()).toBe(scope);
    });
    expect(currentAudit()).toBeUndefined();
  });
});
