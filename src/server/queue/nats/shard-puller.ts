import { createInbox, nanos, type Msg, type NatsConnection, type Subscription } from 'nats';

/** A delivered message of a shard, with the JetStream acknowledgements a writer needs. */
export interface ShardMessage {
  /** Stream sequence. */
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  /** Delivered more than once (a previous delivery was not acknowledged in time). */
  readonly redelivered: boolean;
  ack(): void;
  /** Back to the consumer for redelivery (after delayMs when given). */
  nak(delayMs?: number): void;
  /** Still being processed: restart the ack wait. */
  working(): void;
}

export interface ShardPullerOptions {
  readonly nc: NatsConnection;
  readonly stream: string;
  readonly consumer: string;
  /** Messages per pull request. */
  readonly batch: number;
  /** How long one pull request waits on the server for messages. */
  readonly expiresMs: number;
}

const encoder = new TextEncoder();
const ACK = encoder.encode('+ACK');
const NAK = encoder.encode('-NAK');
const WPI = encoder.encode('+WPI');

/**
 * Pulls a durable consumer's messages into one inbox that lives as long as the puller. A pull
 * request's late deliveries (the server answered just as the client gave up on it, or during a
 * reconnect) still land here instead of being dropped by a per-request subscription, so no
 * delivery is lost to client timers: were one lost, it would come back only after ack_wait,
 * behind newer messages of the same orgs.
 *
 * Each pull request has its own reply subject under the inbox (`<inbox>.<n>`), so its end by a
 * status (404/408/409, sent to that subject) is told apart from a previous request's late one;
 * deliveries carry the stream's subject and are counted against the oldest open request (the
 * server serves requests in order). One pull is normally outstanding; the next is sent when it ends, or, if its answer
 * never comes (nats-server restarting), after expiresMs plus a second. stop() waits until no
 * request can deliver any more before it closes the inbox.
 */
export class ShardPuller {
  readonly #o: ShardPullerOptions;
  readonly #inbox = createInbox();
  readonly #buffer: ShardMessage[] = [];
  /** Outstanding pull requests by reply subject: messages still expected, and when it surely ended. */
  readonly #pulls = new Map<string, { remaining: number; deadline: number }>();
  #sub: Subscription | undefined;
  #n = 0;
  #timer: NodeJS.Timeout | undefined;
  #waiter: (() => void) | undefined;
  #stopping = false;
  #drained: (() => void) | undefined;

  constructor(options: ShardPullerOptions) {
    this.#o = options;
  }

  start(): void {
    this.#sub = this.#o.nc.subscribe(`${this.#inbox}.*`, { callback: (err, msg) => (err ? undefined : this.#receive(msg)) });
    this.#pull();
    this.#timer = setInterval(() => {
      // a request whose answer never came (NATS restarted) has surely ended by its deadline;
      // anything late from it would still arrive in this inbox
      const now = Date.now();
      for (const [subject, p] of this.#pulls) if (now > p.deadline) this.#pulls.delete(subject);
      this.#afterPullEnded();
    }, 500);
    this.#timer.unref();
  }

  /** Messages delivered and not yet taken. */
  buffered(): readonly ShardMessage[] {
    return this.#buffer;
  }

  /** Up to `max` buffered messages, waiting up to waitMs for the first; [] when none came. */
  async take(max: number, waitMs: number): Promise<ShardMessage[]> {
    if (this.#buffer.length === 0 && !this.#stopping) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        this.#waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.#waiter = undefined;
    }
    return this.#buffer.splice(0, max);
  }

  /**
   * Sends no more pulls, waits until every outstanding request ended (at most its deadline, so
   * nothing is delivered after the inbox closes), closes the inbox, and returns what was
   * delivered and not taken.
   */
  async stop(): Promise<ShardMessage[]> {
    this.#stopping = true;
    this.#waiter?.();
    if (this.#pulls.size > 0 && !this.#o.nc.isClosed()) {
      const last = Math.max(...[...this.#pulls.values()].map((p) => p.deadline));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, last - Date.now()));
        this.#drained = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    clearInterval(this.#timer);
    this.#sub?.unsubscribe();
    return this.#buffer.splice(0);
  }

  #pull(): void {
    if (this.#stopping || this.#o.nc.isClosed()) return;
    const reply = `${this.#inbox}.${++this.#n}`;
    this.#pulls.set(reply, { remaining: this.#o.batch, deadline: Date.now() + this.#o.expiresMs + 1_000 });
    const request = JSON.stringify({ batch: this.#o.batch, expires: nanos(this.#o.expiresMs) });
    try {
      this.#o.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${this.#o.stream}.${this.#o.consumer}`, encoder.encode(request), { reply });
    } catch {
      // disconnected and the buffer is full, or closing: the deadline ends it, then a new pull
    }
  }

  #receive(msg: Msg): void {
    const code = msg.headers?.code ?? 0;
    if (!msg.reply || code > 0) {
      // a status, sent to the request's own reply subject: 100 idle heartbeat, 404 no messages,
      // 408 request expired, 409 limits hit
      if (code === 100) return;
      this.#pulls.delete(msg.subject);
      this.#afterPullEnded(code === 409 ? 250 : 0);
      return;
    }
    this.#buffer.push(shardMessage(msg));
    this.#waiter?.();
    // a delivery carries the stream's subject, not the request's: the server serves waiting
    // requests in order, so it belongs to the oldest one still expecting messages
    for (const [subject, pull] of this.#pulls) {
      if (--pull.remaining <= 0) {
        this.#pulls.delete(subject);
        this.#afterPullEnded();
      }
      break;
    }
  }

  /** When no request is outstanding: wake stop(), or send the next pull. */
  #afterPullEnded(delayMs = 0): void {
    if (this.#pulls.size > 0) return;
    if (this.#stopping) {
      this.#drained?.();
      this.#drained = undefined;
      return;
    }
    if (delayMs > 0) setTimeout(() => this.#pull(), delayMs).unref();
    else this.#pull();
  }
}

/**
 * The reply subject tells the delivery: `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.…`
 * (9 tokens), or with `<domain>.<account hash>` after `$JS.ACK` on newer servers.
 */
function shardMessage(msg: Msg): ShardMessage {
  const t = msg.reply!.split('.');
  if (t.length === 9) t.splice(2, 0, '_', '_');
  const delivered = Number(t[6]);
  const seq = Number(t[7]);
  return {
    seq,
    subject: msg.subject,
    data: msg.data,
    redelivered: delivered > 1,
    ack: () => void msg.respond(ACK),
    nak: (delayMs) => void msg.respond(delayMs ? encoder.encode(`-NAK ${JSON.stringify({ delay: nanos(delayMs) })}`) : NAK),
    working: () => void msg.respond(WPI),
  };
}
