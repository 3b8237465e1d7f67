import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Tracks the server's sockets and how many requests each has in flight, so that a graceful
 * shutdown can close every socket that is not serving a request.
 *
 * Node's closeIdleConnections() (fastify's forceCloseConnections: 'idle') only closes sockets
 * that have finished a request: a socket a browser opened speculatively (Chromium preconnects)
 * and never sent a request on counts as busy and would hold server.close() until the shutdown
 * timeout. Here a socket is busy only while a request on it has not finished.
 */
export interface ConnectionDrain {
  /** Destroys every socket without a request in flight now, and each busy one once its last request ends. */
  drain(): void;
}

export function trackConnections(server: Server): ConnectionDrain {
  const inFlight = new Map<Socket, number>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (request, response) => {
    const socket = request.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const requests = inFlight.get(socket);
      if (requests === undefined) return;
      const left = requests - 1;
      inFlight.set(socket, left);
      // the answer carried `connection: close`; destroy rather than wait for the client to hang up
      if (draining && left === 0) socket.destroySoon();
    });
  });

  return {
    drain() {
      draining = true;
      for (const [socket, requests] of inFlight) if (requests === 0) socket.destroy();
    },
  };
}
