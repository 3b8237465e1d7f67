import { describe, expect, it } from 'vitest';
import type { AuditQueryInput, Interaction } from '../../core/index.js';
import { comparable, ids, ixKey, ordered, q, type LoadedStorage } from './support.js';

/** Every interaction filter of the query model, search included, with count equal to results. */
export function interactionQueryCases(loaded: () => LoadedStorage): void {
  async function expectInteractions(filter: AuditQueryInput, pred: (i: Interaction) => boolean, opts: { allowEmpty?: boolean } = {}): Promise<Interaction[]> {
    const { storage, data } = loaded();
    const want = ordered(data.storedInteractions.filter(pred), ixKey);
    if (!opts.allowEmpty) expect(want.length, 'the filter selects something').toBeGreaterThan(0);
    const page = await storage.queryInteractions(q({ ...filter, limit: 1000 }));
    expect(ids(page.items)).toEqual(ids(want));
    expect(await storage.countInteractions(q(filter))).toBe(want.length);
    return want;
  }
  const text = (i: Interaction) => `${i.question}\n${i.finalAnswer ?? ''}`.toLowerCase();

  describe('interaction queries', () => {
    it('returns every generated interaction exactly, with its children, newest first', async () => {
      const { storage, data } = loaded();
      const page = await storage.queryInteractions(q({ limit: 1000 }));
      expect(comparable(page.items)).toEqual(comparable(ordered(data.storedInteractions, ixKey)));
      expect(await storage.countInteractions(q())).toBe(data.interactions.length);
    });

    it('filters by model, status, provider and cluster', async () => {
      await expectInteractions({ model: 'claude-sonnet-4' }, (i) => i.model === 'claude-sonnet-4');
      await expectInteractions({ status: 'error' }, (i) => i.status === 'error');
      await expectInteractions({ status: 'timeout' }, (i) => i.status === 'timeout');
      await expectInteractions({ provider: 'dashscope' }, (i) => i.provider === 'dashscope');
      await expectInteractions({ cluster: 'staging-sh' }, (i) => i.cluster === 'staging-sh');
    });

    it('filters by org, agent, user, session and interaction id', async () => {
      const { data } = loaded();
      await expectInteractions({ orgId: 'org_b' }, (i) => i.orgId === 'org_b');
      await expectInteractions({ agentId: 'agent_chat' }, (i) => i.agentId === 'agent_chat');
      await expectInteractions({ userId: 'u_张伟' }, (i) => i.userId === 'u_张伟');
      await expectInteractions({ sessionId: 'sess-01', orgId: 'org_a' }, (i) => i.sessionId === 'sess-01' && i.orgId === 'org_a');
      const one = data.storedInteractions[17]!;
      await expectInteractions({ interactionId: one.interactionId }, (i) => i.interactionId === one.interactionId);
    });

    it('filters by action name: any of its tool calls has that name', async () => {
      const hits = await expectInteractions({ actionName: 'query_prometheus' }, (i) => i.toolCalls.some((c) => c.name === 'query_prometheus'));
      expect(hits.some((i) => i.toolCalls.some((c) => c.name !== 'query_prometheus')), 'interactions with other calls too').toBe(true);
    });

    it('filters by time range: from inclusive, to exclusive', async () => {
      const { data } = loaded();
      const mid = ordered(data.storedInteractions, ixKey, 'asc')[60]!.timestamp;
      const t = Date.parse(mid);
      const from = await expectInteractions({ from: mid }, (i) => Date.parse(i.timestamp) >= t);
      const to = await expectInteractions({ to: mid }, (i) => Date.parse(i.timestamp) < t);
      expect(from.length + to.length).toBe(data.interactions.length);
    });

    it('searches questions and answers case-insensitively', async () => {
      await expectInteractions({ search: 'NGINX' }, (i) => text(i).includes('nginx'));
      await expectInteractions({ search: 'crashloopbackoff' }, (i) => text(i).includes('crashloopbackoff'));
    });

    it('searches Chinese text', async () => {
      await expectInteractions({ search: '重启' }, (i) => text(i).includes('重启'));
      await expectInteractions({ search: '错误日志' }, (i) => text(i).includes('错误日志'));
      const inAnswer = await expectInteractions({ search: '配置文件' }, (i) => text(i).includes('配置文件'));
      expect(inAnswer.every((i) => !i.question.includes('配置文件')), 'found in the answer only').toBe(true);
    });

    it('requires every term of a multi-term search, in the question or the answer', async () => {
      await expectInteractions({ search: 'nginx 重启' }, (i) => text(i).includes('nginx') && text(i).includes('重启'));
      const split = await expectInteractions({ search: 'Pod CrashLoopBackOff' }, (i) => text(i).includes('pod') && text(i).includes('crashloopbackoff'));
      expect(split.every((i) => !i.question.includes('CrashLoopBackOff')), 'one term only in the answer').toBe(true);
      await expectInteractions({ search: 'nginx prometheus-nowhere' }, () => false, { allowEmpty: true });
    });

    it('treats %, _ and \\ in a search as plain characters', async () => {
      const pct = await expectInteractions({ search: '95%' }, (i) => text(i).includes('95%'));
      expect(loaded().data.storedInteractions.some((i) => text(i).includes('95 percent')), '"95 percent" exists and must not match').toBe(true);
      expect(pct.every((i) => i.question.includes('95%'))).toBe(true);
      await expectInteractions({ search: 'kube_system' }, (i) => text(i).includes('kube_system'));
      await expectInteractions({ search: 'kube\\system' }, () => false, { allowEmpty: true });
    });

    it('combines interaction filters with AND', async () => {
      await expectInteractions(
        { orgId: 'org_a', model: 'gpt-4o', status: 'success', actionName: 'kubectl_get' },
        (i) => i.orgId === 'org_a' && i.model === 'gpt-4o' && i.status === 'success' && i.toolCalls.some((c) => c.name === 'kubectl_get'),
      );
    });

    it('ignores the filters that only apply to events', async () => {
      await expectInteractions({ eventTypes: ['action_failed'], success: false, actionId: 'act-1' }, () => true);
    });
  });

  describe('org isolation on interactions', () => {
    it('gets an interaction only within its own org', async () => {
      const { storage, data } = loaded();
      const i = data.storedInteractions.find((x) => x.orgId === 'org_a')!;
      expect((await storage.getInteraction(i.interactionId, 'org_a'))?.interactionId).toBe(i.interactionId);
      expect(await storage.getInteraction(i.interactionId, 'org_b')).toBeUndefined();
    });

    it('counts and searches within one org only', async () => {
      const { storage, data } = loaded();
      const inB = data.storedInteractions.filter((i) => i.orgId === 'org_b' && text(i).includes('nginx'));
      expect(inB.length).toBeGreaterThan(0);
      expect(await storage.countInteractions(q({ orgId: 'org_b', search: 'nginx' }))).toBe(inB.length);
      const page = await storage.queryInteractions(q({ orgId: 'org_b', search: 'nginx', limit: 1000 }));
      expect(page.items.every((i) => i.orgId === 'org_b')).toBe(true);
    });
  });
}
