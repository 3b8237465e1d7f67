import type { AuthContext } from '../auth/authenticator.js';
import type { Scope } from '../auth/key-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set by the auth hook on every non-public route. */
    auth?: AuthContext;
  }
  interface FastifyContextConfig {
    /** The scope a key needs for this route. */
    scope?: Scope;
    /** Served without an API key (health, metrics, OpenAPI, docs). */
    public?: boolean;
  }
}

export type { AuthContext };
