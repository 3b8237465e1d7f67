/** OpenAI client wrapper (subpath `auditrail/sdk/openai`). */
export { auditOpenAI, type AuditOpenAIOptions } from './audit-openai.js';
export { currentAudit, runWithAudit } from '../scope/current-audit.js';
export { createAuditScope, type AuditScope } from '../scope/audit-scope.js';
