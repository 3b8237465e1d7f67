/** Size limits every entry point enforces (SDK, server, storage). Servers may lower them. */
export const LIMITS = Object.freeze({
  /** Ids, names, labels (org/user/agent/session ids, action and tool names, model, status...). */
  maxIdLength: 256,
  /** Free text (question, thought, answer, tool input/observation, error message). */
  maxStringLength: 1_048_576,
  /** Nesting of params / metadata / tool input objects. */
  maxDepth: 32,
  /** Thoughts, tool calls or metrics in one interaction. */
  maxChildren: 10_000,
});
