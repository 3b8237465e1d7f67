/**
 * `npm run example:ops-agent`: a complete audited run of an ops agent, to look at in the dashboard.
 *
 * Without AUDITRAIL_URL it starts an auditrail server in this process (memory storage) and keeps it
 * running until Ctrl-C so that you can open the printed dashboard link. With AUDITRAIL_URL and
 * AUDITRAIL_API_KEY (a key with the ingest scope; AUDITRAIL_ORG its org, default "default") it sends
 * the run to that server and exits.
 */
import { createAuditLogger, createHttpExporter } from '../../src/sdk/index.js';
import { startEmbeddedAuditrail, type EmbeddedAuditrail } from './embedded-auditrail.js';
import { runOpsAgent } from './run-ops-agent.js';

const env = process.env;
const given = env.AUDITRAIL_URL !== undefined && env.AUDITRAIL_API_KEY !== undefined;
const embedded: EmbeddedAuditrail | undefined = given ? undefined : await startEmbeddedAuditrail(env, env.AUDITRAIL_ORG ?? 'acme');
const url = embedded?.url ?? env.AUDITRAIL_URL!;
const apiKey = embedded?.apiKey ?? env.AUDITRAIL_API_KEY!;
const orgId = embedded?.orgId ?? env.AUDITRAIL_ORG ?? 'default';

const logger = createAuditLogger({
  exporter: createHttpExporter({ url, apiKey }),
  context: { orgId, agentId: 'ops-agent' },
  onDiagnostic: (d) => console.warn(`auditrail: ${d.code} ${d.outcome} x${d.count}: ${d.message}`),
});

console.log(`auditrail server: ${url}${embedded ? `  (started here, ${embedded.storage})` : ''}`);
const { answers } = await runOpsAgent(logger);
await logger.flush();
for (const a of answers) console.log(`\n> ${a.question}\n  ${a.answer}\n  interaction ${a.interactionId}`);
const s = logger.stats();
console.log(`\nrecorded ${s.recorded} records, sent ${s.exported}, rejected ${s.rejected}, dropped ${s.dropped}`);
console.log(`\nOpen the dashboard: ${url}/#key=${apiKey}`);
console.log('  Interactions: the three questions of one session (alice, ops-console/2.1), with thoughts, tool calls and timings');
console.log('  Approvals: restart_deployment granted by oncall:bob, delete_namespace denied; Actions: get_logs failed');

if (embedded) {
  console.log('\nThe server keeps running so that you can look; Ctrl-C to stop.');
  const stop = () => void logger.shutdown().then(() => embedded.server.close()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (env.EXAMPLE_EXIT === '1') stop();
} else {
  await logger.shutdown();
}
