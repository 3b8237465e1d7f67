/** The current interaction shared by the integrations (subpath `auditrail/sdk/scope`). */
export { createAuditScope, type AuditScope, type AuditScopeFields, type AuditScopeOptions, type SuggestionSource } from './audit-scope.js';
export { currentAudit, runWithAudit } from './current-audit.js';
