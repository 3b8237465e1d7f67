import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let t: TestServer;
afterEach(async () => {
  await t.close();
});

interface Rules {
  groups: { name: string; rules: { alert: string; expr: string }[] }[];
}

describe('examples/alert-rules.yml', () => {
  it('uses only metrics the server exposes, and covers the seed-002 monitoring points', async () => {
    t = await startTestServer();
    const exposed = (await t.server.app.inject('/metrics')).body;
    const rules = parse(readFileSync(new URL('../../../examples/alert-rules.yml', import.meta.url), 'utf8')) as Rules;
    const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\bauditrail_[a-z_]+/g)].map((m) => m[0])));
    for (const metric of used) {
      const base = metric.replace(/_(bucket|count|sum)$/, '');
      expect(exposed, `${metric} is not exposed by /metrics`).toMatch(new RegExp(`# TYPE ${base} `));
    }
    for (const point of ['auditrail_write_queue_length', 'auditrail_write_processing_seconds_bucket', 'auditrail_write_errors_total', 'auditrail_storage_bytes']) {
      expect(used, point).toContain(point);
    }
  });
});
