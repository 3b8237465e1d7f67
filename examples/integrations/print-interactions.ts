/** Prints what a logger on memory storage recorded (for the integration examples). */
import type { AuditLogger } from '../../src/sdk/index.js';

export async function printRecorded(logger: AuditLogger): Promise<void> {
  await logger.flush();
  for (const i of (await logger.queryInteractions({ order: 'asc', limit: 100 })).items) {
    console.log(`interaction ${i.interactionId} [${i.status}] ${i.model} (${i.provider ?? '-'}) session ${i.sessionId}`);
    console.log(`  question: ${i.question}`);
    for (const t of i.thoughts) console.log(`  ${t.sequence}. thought: ${t.content}`);
    for (const t of i.toolCalls) console.log(`  ${t.sequence}. tool ${t.name}(${JSON.stringify(t.input)}) -> ${t.status}: ${JSON.stringify(t.observation ?? t.errorMessage ?? null)}`);
    if (i.errorMessage) console.log(`  error: ${i.errorMessage}`);
    console.log(`  answer: ${i.finalAnswer ?? '-'}  usage: ${JSON.stringify(i.usage ?? {})}  total ${i.totalDurationMs} ms`);
  }
  for (const e of (await logger.queryEvents({ order: 'asc', limit: 100 })).items) {
    console.log(`event ${e.eventType.padEnd(18)} ${e.actionName} ${e.mcpServerName ?? ''} ${e.approver ?? ''} ${e.reason ?? e.errorMessage ?? ''}`);
  }
}
