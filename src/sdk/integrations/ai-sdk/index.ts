/** Vercel AI SDK 6 integration (subpath `auditrail/sdk/ai-sdk`). */
export { auditGenerateText, auditStreamText, createAuditedAiRun, type AuditAiSdkOptions } from './audit-ai-sdk.js';
export type { AuditedAiRun } from './ai-run.js';
