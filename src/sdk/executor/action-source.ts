/** Where an action comes from: its capability (seed-000 capability type/source/version). */
export interface Capability {
  readonly type?: string;
  readonly source?: string;
  readonly version?: string;
}

/** The MCP server an action runs on, when it is an MCP tool. */
export interface McpServer {
  readonly id?: string;
  readonly name?: string;
}

/** What an action receives besides its params. */
export interface ActionCallContext {
  readonly actionId: string;
  readonly actionName: string;
  readonly interactionId?: string;
}

/** An action as registered with the executor. */
export interface ActionDefinition {
  handler(params: Record<string, unknown>, context: ActionCallContext): unknown;
  /** Ask the approval hook before running it. Default false. */
  readonly requiresApproval?: boolean;
  readonly capability?: Capability;
  readonly mcpServer?: McpServer;
}

export type ActionRegistry = Readonly<Record<string, ActionDefinition>> | ReadonlyMap<string, ActionDefinition>;

/** An action found by a source, ready to run. */
export interface ResolvedAction {
  readonly requiresApproval: boolean;
  readonly capability?: Capability;
  readonly mcpServer?: McpServer;
  invoke(params: Record<string, unknown>, context: ActionCallContext): Promise<unknown>;
}

/**
 * The adapter seam: anything that can find and run actions by name (the registry, an MCP client's
 * tools, a plugin system). The executor asks its sources in order; the first that resolves a name
 * runs it. `resolve` returns undefined for names it does not know.
 */
export interface ActionSource {
  readonly name: string;
  resolve(actionName: string): ResolvedAction | undefined | Promise<ResolvedAction | undefined>;
}

/** The registry of named actions as an ActionSource. */
export function createRegistrySource(actions: ActionRegistry): ActionSource {
  const lookup = (name: string): ActionDefinition | undefined => {
    if (actions instanceof Map) return (actions as ReadonlyMap<string, ActionDefinition>).get(name);
    return Object.hasOwn(actions, name) ? (actions as Readonly<Record<string, ActionDefinition>>)[name] : undefined;
  };
  return Object.freeze({
    name: 'registry',
    resolve(actionName: string): ResolvedAction | undefined {
      const def = lookup(actionName);
      if (def === undefined) return undefined;
      return {
        requiresApproval: def.requiresApproval ?? false,
        capability: def.capability,
        mcpServer: def.mcpServer,
        invoke: async (params, context) => await def.handler(params, context),
      };
    },
  });
}
