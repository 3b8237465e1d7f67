import { resolve } from 'node:path';
import { Command } from 'commander';
import { uuidv7 } from '../../core/index.js';
import { createAuditLogger } from '../../sdk/index.js';
import { createFileStorage } from '../../storage/file/index.js';
import { println, type CliContext } from '../cli-context.js';
import { runDemoAgent } from '../demo/demo-agent.js';
import { demoReport } from '../demo/demo-report.js';

export interface DemoOptions {
  readonly dir: string;
}

/** Runs the demo agent into embedded file storage, reads its trail back and prints it. */
export async function runDemo(ctx: CliContext, options: DemoOptions): Promise<void> {
  const directory = resolve(options.dir);
  const storage = await createFileStorage({ directory });
  const sessionId = uuidv7();
  const logger = createAuditLogger({
    storage,
    context: { orgId: 'demo', userId: 'alice', agentId: 'ops-copilot', sessionId },
    onDiagnostic: (d) => println(ctx.stderr, `auditrail: ${d.message}`),
  });
  try {
    const ids = await runDemoAgent(logger);
    const interactions = (await logger.queryInteractions({ sessionId, order: 'asc', limit: 100 })).items;
    const events = (await logger.queryEvents({ sessionId, order: 'asc', limit: 1000 })).items;
    println(ctx.stdout, `Recorded ${ids.length} interactions and ${events.length} action/approval events in session ${sessionId}`);
    println(ctx.stdout, `Storage: ${directory} (JSONL segments; try: grep ${ids[0] ?? ''} ${directory}/*.jsonl)\n`);
    println(ctx.stdout, demoReport(interactions, events, ctx.stdout.columns ?? 120));
    const stats = logger.stats();
    println(ctx.stdout, `\nLogger: ${stats.exported} records exported, ${stats.dropped} dropped, ${stats.rejected} rejected.`);
  } finally {
    await logger.shutdown();
    await storage.close();
  }
}

export function demoCommand(ctx: CliContext): Command {
  return new Command('demo')
    .description('run a scripted ops agent that records audited interactions, actions and approvals to local file storage, then print its trail')
    .option('--dir <path>', 'directory for the demo file storage', '.auditrail/demo')
    .action(async (opts: DemoOptions) => runDemo(ctx, opts));
}
