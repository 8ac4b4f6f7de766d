import net from "node:net";

/**
 * Who is really on the other end of a request. Forwarding headers (X-Forwarded-For, X-Real-IP,
 * Forwarded, X-Forwarded-Host, X-Forwarded-Proto) are written by whoever sends the request, so
 * they count only when the socket peer is a proxy named in TRUST_PROXY. Route handlers cannot
 * see the socket, so the web server (scripts/web-server.ts) passes it in PEER_HEADER after
 * deleting any inbound copy; without it the peer is unknown and no forwarding header is trusted.
 * Kept free of Next.js and the database so the web server can import it.
 */

/** Socket address of the request, set by scripts/web-server.ts. */
export const PEER_HEADER = "x-reclab-peer";
/** "1" when the request reached the web server carrying any forwarding header. */
export const FORWARDED_FLAG_HEADER = "x-reclab-forwarded";
export const FORWARDING_HEADERS = ["x-forwarded-for", "x-real-ip", "forwarded", "x-forwarded-host", "x-forwarded-proto"] as const;

const PEER_HEADERS_TRUSTED = Symbol.for("reclab.peer-headers-trusted");

/**
 * Called once by the web server, which overwrites PEER_HEADER on every request. Until then the
 * header is ignored: under `next dev` or a bare `next start` any client could send it.
 */
export function trustPeerHeader(): void {
  (globalThis as Record<symbol, unknown>)[PEER_HEADERS_TRUSTED] = true;
}

/** True in the web server's process (its front rewrites the request headers this module reads). */
export function peerHeaderTrusted(): boolean {
  return (globalThis as Record<symbol, unknown>)[PEER_HEADERS_TRUSTED] === true;
}

interface AddressRange {
  family: 4 | 6;
  /** Address as a big-endian bit string number (BigInt) and the prefix length. */
  base: bigint;
  bits: number;
}

/** TRUST_PROXY, parsed: trust nobody, the nearest `hops` proxies, or peers in these ranges. */
export type TrustProxy = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "ranges"; ranges: AddressRange[] };

/** Strips brackets, a zone, a port on IPv4, and the IPv4-mapped IPv6 prefix. */
export function normaliseAddress(raw: string): string | null {
  let value = raw.trim().replace(/^"|"$/g, "");
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%.*$/, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (mapped) value = mapped[1];
  return net.isIP(value) ? value : null;
}

function toBigInt(address: string): { family: 4 | 6; value: bigint } {
  if (net.isIPv4(address)) {
    return { family: 4, value: address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n) };
  }
  const [head, tail = ""] = address.split("::");
  const expand = (s: string) => (s ? s.split(":") : []).flatMap((g) => (g.includes(".") ? ipv4Groups(g) : [g]));
  const left = expand(head);
  const right = address.includes("::") ? expand(tail) : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return { family: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function ipv4Groups(v4: string): string[] {
  const n = toBigInt(v4).value;
  return [((n >> 16n) & 0xffffn).toString(16), (n & 0xffffn).toString(16)];
}

function parseRange(entry: string): AddressRange {
  const [addressPart, prefixPart] = entry.split("/");
  const address = normaliseAddress(addressPart);
  if (!address) throw new Error(`"${entry}" is not an IP address or CIDR range`);
  const { family, value } = toBigInt(address);
  const width = family === 4 ? 32 : 128;
  const bits = prefixPart === undefined ? width : Number(prefixPart);
  if (!Number.isInteger(bits) || bits < 0 || bits > width || !/^\d*$/.test(prefixPart ?? "")) {
    throw new Error(`"${entry}": prefix length must be 0-${width}`);
  }
  const shift = BigInt(width - bits);
  return { family, base: (value >> shift) << shift, bits };
}

/**
 * Parses TRUST_PROXY: unset or empty = trust none; a whole number = trust that many proxy hops
 * in front of the server; otherwise comma-separated addresses or CIDR ranges ("loopback" and
 * "private" are shorthands). Throws with a readable message on anything else.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0" || text === "false") return { kind: "none" };
  if (/^\d+$/.test(text)) return { kind: "hops", hops: Number(text) };
  const SHORTHANDS: Record<string, string[]> = {
    loopback: ["127.0.0.0/8", "::1/128"],
    private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
  };
  const entries = text.split(",").map((s) => s.trim()).filter(Boolean);
  return { kind: "ranges", ranges: entries.flatMap((e) => (SHORTHANDS[e] ?? [e]).map(parseRange)) };
}

function inRanges(address: string, ranges: AddressRange[]): boolean {
  const normalised = normaliseAddress(address);
  if (!normalised) return false;
  const { family, value } = toBigInt(normalised);
  const width = family === 4 ? 32 : 128;
  return ranges.some((r) => r.family === family && (value >> BigInt(width - r.bits)) << BigInt(width - r.bits) === r.base);
}

/** True when the socket peer `address` is a proxy whose forwarding headers we believe. */
export function isTrustedProxy(address: string, trust: TrustProxy): boolean {
  if (trust.kind === "none") return false;
  if (trust.kind === "hops") return trust.hops > 0;
  return inRanges(address, trust.ranges);
}

type HeaderSource = Pick<Headers, "get">;

/** The `key=` values of a Forwarded header (RFC 7239), one per hop, oldest first. */
function forwardedValues(headers: HeaderSource, key: string): string[] {
  const header = headers.get("forwarded");
  if (!header) return [];
  return header.split(",").flatMap((hop) => {
    const pair = hop.split(";").map((p) => p.trim().split("=")).find(([k]) => k?.toLowerCase() === key);
    return pair && pair[1] ? [pair[1].replace(/^"|"$/g, "")] : [];
  });
}

/**
 * Client-side addresses the proxies reported, oldest (the original client) first. An
 * X-Forwarded-For holding just the peer is what Next.js writes when none came in, so a proxy's
 * Forwarded or X-Real-IP then wins.
 */
function forwardedChain(headers: HeaderSource, peer: string): string[] {
  const xff = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (xff.length > 0 && !(xff.length === 1 && normaliseAddress(xff[0]) === peer)) return xff;
  const forwarded = forwardedValues(headers, "for");
  if (forwarded.length > 0) return forwarded;
  const realIp = headers.get("x-real-ip")?.trim();
  return realIp ? [realIp] : xff;
}

/** The first value of a forwarding header (the one the client-facing proxy wrote). */
function firstValue(headers: HeaderSource, header: string, forwardedKey: string): string | null {
  const value = headers.get(header)?.split(",")[0]?.trim() || forwardedValues(headers, forwardedKey)[0];
  return value || null;
}

export interface ClientAddress {
  /** The client's address for rate limits and the audit log ("unknown" when nothing is known). */
  ip: string;
  /** The socket peer, or null when the request did not come through scripts/web-server.ts. */
  peer: string | null;
  /** True when the peer is a trusted proxy, so `host` and `proto` below come from it. */
  viaTrustedProxy: boolean;
  /** True when the request came through a proxy, trusted or not (see `looksForwarded`). */
  forwarded: boolean;
  /** Host and protocol as the trusted proxy reported them; null otherwise. */
  forwardedHost: string | null;
  forwardedProto: string | null;
}

/**
 * Without a known peer, Next.js itself fills in X-Forwarded-For (the socket address),
 * X-Forwarded-Host (the Host header) and X-Forwarded-Proto, so only what it would not write
 * betrays a proxy: X-Real-IP, Forwarded, several or non-loopback X-Forwarded-For entries, or an
 * X-Forwarded-Host other than Host.
 */
function looksForwarded(headers: HeaderSource): boolean {
  if (headers.get("x-real-ip") || headers.get("forwarded")) return true;
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (chain.length > 1 || chain.some((a) => !isLoopback(a))) return true;
  const forwardedHost = headers.get("x-forwarded-host");
  return forwardedHost !== null && forwardedHost !== headers.get("host");
}

export function isLoopback(address: string): boolean {
  const normalised = normaliseAddress(address);
  return normalised !== null && (normalised === "::1" || normalised.startsWith("127."));
}

/** Resolves the client address, and the host and protocol a trusted proxy reports. */
export function resolveClientAddress(headers: HeaderSource, trust: TrustProxy): ClientAddress {
  const rawPeer = peerHeaderTrusted() ? headers.get(PEER_HEADER) : null;
  const peer = rawPeer ? (normaliseAddress(rawPeer) ?? rawPeer) : null;
  if (!peer) {
    return { ip: "unknown", peer: null, viaTrustedProxy: false, forwarded: looksForwarded(headers), forwardedHost: null, forwardedProto: null };
  }
  const forwarded = headers.get(FORWARDED_FLAG_HEADER) === "1";
  if (!forwarded || !isTrustedProxy(peer, trust)) {
    return { ip: peer, peer, viaTrustedProxy: false, forwarded, forwardedHost: null, forwardedProto: null };
  }
  // Walk from the peer towards the client while each hop is trusted.
  const hops = [peer, ...forwardedChain(headers, peer).reverse()];
  let index = 0;
  if (trust.kind === "hops") index = Math.min(trust.hops, hops.length - 1);
  else while (index < hops.length - 1 && inRanges(hops[index], trust.kind === "ranges" ? trust.ranges : [])) index++;
  const ip = normaliseAddress(hops[index]) ?? peer;
  return {
    ip,
    peer,
    viaTrustedProxy: true,
    forwarded,
    forwardedHost: firstValue(headers, "x-forwarded-host", "host"),
    forwardedProto: firstValue(headers, "x-forwarded-proto", "proto")?.toLowerCase() ?? null,
  };
}
