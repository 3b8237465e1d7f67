import { CopyButton } from './copy-button.js';

/** How a new user sends a first record: a curl command that works as printed (with their key). */
export function FirstEventHelp() {
  const origin = window.location.origin;
  const record = {
    kind: 'interaction',
    interactionId: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    sessionId: 'first-session',
    userId: 'me',
    agentId: 'my-agent',
    question: 'Which pods are restarting?',
    model: 'gpt-4o',
    status: 'success',
    toolCalls: [{ sequence: 0, name: 'kubectl_get_pods', input: { allNamespaces: true }, observation: 'payments-7f9: 14 restarts', durationMs: 120 }],
    finalAnswer: 'payments-7f9 restarted 14 times (OOMKilled).',
  };
  const curl = [
    'export AUDITRAIL_KEY=<an API key with the ingest scope>',
    `curl -X POST ${origin}/v1/events \\`,
    `  -H "Authorization: Bearer $AUDITRAIL_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify([record], null, 2)}'`,
  ].join('\n');
  return (
    <div className="first-event">
      <p>
        Record one from your agent with the SDK (<code>createAuditLogger</code> from <code>auditrail/sdk</code>), or send one now with
        an API key that has the <code>ingest</code> scope:
      </p>
      <div className="code-block">
        <div className="payload-head">
          <span className="payload-label">shell</span>
          <CopyButton text={curl} />
        </div>
        <pre>{curl}</pre>
      </div>
      <p className="muted">
        The server fills in your key&apos;s org. Ids are idempotency keys: send a fresh UUID for every new record. It shows up here
        within seconds (turn on <strong>Live</strong>).
      </p>
    </div>
  );
}
