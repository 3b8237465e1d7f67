/** LangChain.js callback handler (subpath `auditrail/sdk/langchain`). */
export { AuditCallbackHandler, type AuditCallbackHandlerOptions } from './audit-callback-handler.js';
