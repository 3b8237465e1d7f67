/**
 * Whom to believe about the client address: `false` (default) takes the socket address and ignores
 * X-Forwarded-For / Forwarded (anyone can send them); `true` trusts every proxy and takes the
 * left-most forwarded address; a number `n` trusts the `n` proxies nearest to the server and takes
 * the address that the farthest of them saw (Express's `trust proxy` semantics).
 */
export type TrustProxy = boolean | number;

const stripPort = (raw: string): string => {
  let a = raw.trim();
  if (a.startsWith('"') && a.endsWith('"')) a = a.slice(1, -1);
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    return end === -1 ? a : a.slice(1, end);
  }
  // IPv4 with a port; a bare IPv6 has several colons and no port.
  const colon = a.indexOf(':');
  return colon !== -1 && colon === a.lastIndexOf(':') ? a.slice(0, colon) : a;
};

/** The `for=` addresses of a Forwarded header (RFC 7239), nearest proxy last. */
function forwardedFor(header: string): string[] {
  const out: string[] = [];
  for (const element of header.split(',')) {
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq !== -1 && pair.slice(0, eq).trim().toLowerCase() === 'for') out.push(stripPort(pair.slice(eq + 1)));
    }
  }
  return out;
}

/** Strips the IPv4-mapped IPv6 prefix Node puts on IPv4 peers of a dual-stack socket. */
const plain = (a: string | undefined): string | undefined => (a?.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a);

/**
 * The client address of a request. `forwarded` is the Forwarded header, `xForwardedFor` the
 * X-Forwarded-For header (Forwarded wins when both are there); both are ignored unless trusted.
 */
export function clientIp(socketAddress: string | undefined, trustProxy: TrustProxy, forwarded?: string, xForwardedFor?: string): string | undefined {
  const socket = plain(socketAddress);
  if (trustProxy === false || trustProxy === 0) return socket;
  const hops = forwarded ? forwardedFor(forwarded) : xForwardedFor ? xForwardedFor.split(',').map(stripPort) : [];
  const chain = [...hops.filter((a) => a !== '' && a !== 'unknown'), ...(socket === undefined ? [] : [socket])];
  if (chain.length === 0) return undefined;
  const index = trustProxy === true ? 0 : Math.max(0, chain.length - 1 - trustProxy);
  return plain(chain[index]);
}
