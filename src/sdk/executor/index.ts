/** The audited action executor (subpath entry): runs named actions, asks for approval, records the seed's event sequences. */
export { createActionExecutor, type ActionExecutor, type ActionExecutorOptions, type ActionOutcome, type ExecuteOptions } from './action-executor.js';
export {
  createRegistrySource,
  type ActionCallContext,
  type ActionDefinition,
  type ActionRegistry,
  type ActionSource,
  type Capability,
  type McpServer,
  type ResolvedAction,
} from './action-source.js';
export { DEFAULT_DENIAL_REASON, decideApproval, type ApprovalAnswer, type ApprovalDecision, type ApprovalHook, type ApprovalRequest } from './approval.js';
