import { describe, expect, it } from "vitest";
import {
  FORWARDED_FLAG_HEADER,
  PEER_HEADER,
  isLoopback,
  isTrustedProxy,
  normaliseAddress,
  parseTrustProxy,
  resolveClientAddress,
  trustPeerHeader,
} from "@/lib/server/client-address";

trustPeerHeader();

/** Headers as scripts/web-server.ts hands them on: the socket peer, and whether forwarding headers came in. */
function viaServer(peer: string, forwarding: Record<string, string> = {}): Headers {
  const headers = new Headers(forwarding);
  headers.set(PEER_HEADER, peer);
  if (Object.keys(forwarding).length > 0) headers.set(FORWARDED_FLAG_HEADER, "1");
  return headers;
}

describe("normaliseAddress", () => {
  const cases: [string, string, string | null][] = [
    ["IPv4", "203.0.113.9", "203.0.113.9"],
    ["IPv4 with port", "203.0.113.9:51234", "203.0.113.9"],
    ["IPv4-mapped IPv6", "::ffff:127.0.0.1", "127.0.0.1"],
    ["upper-case mapped", "::FFFF:10.1.2.3", "10.1.2.3"],
    ["bracketed IPv6 with port", "[2001:db8::1]:443", "2001:db8::1"],
    ["quoted (Forwarded)", '"[::1]"', "::1"],
    ["zone id", "fe80::1%eth0", "fe80::1"],
    ["garbage", "evil; DROP TABLE", null],
    ["hostname", "localhost", null],
  ];
  for (const [label, input, expected] of cases) it(label, () => expect(normaliseAddress(input)).toBe(expected));
});

describe("parseTrustProxy and isTrustedProxy", () => {
  // [label, TRUST_PROXY, peer, trusted]
  const cases: [string, string | undefined, string, boolean][] = [
    ["unset trusts nobody", undefined, "127.0.0.1", false],
    ["empty trusts nobody", "", "127.0.0.1", false],
    ["0 trusts nobody", "0", "10.0.0.1", false],
    ["a hop count trusts the peer", "1", "198.51.100.7", true],
    ["exact address", "10.0.0.5", "10.0.0.5", true],
    ["exact address, other peer", "10.0.0.5", "10.0.0.6", false],
    ["CIDR /8 inside", "10.0.0.0/8", "10.200.3.4", true],
    ["CIDR /8 outside", "10.0.0.0/8", "11.0.0.1", false],
    ["CIDR /22 edge inside", "192.168.4.0/22", "192.168.7.255", true],
    ["CIDR /22 edge outside", "192.168.4.0/22", "192.168.8.0", false],
    ["IPv4-mapped peer against IPv4 range", "127.0.0.1", "::ffff:127.0.0.1", true],
    ["IPv6 CIDR", "2001:db8::/32", "2001:db8:abcd::17", true],
    ["IPv6 CIDR outside", "2001:db8::/32", "2001:db9::1", false],
    ["IPv4 range never matches IPv6 peer", "0.0.0.0/0", "::1", false],
    ["list of several", "192.0.2.1, 10.0.0.0/8", "10.9.9.9", true],
    ["loopback shorthand", "loopback", "::1", true],
    ["private shorthand", "private", "172.20.0.3", true],
    ["private shorthand excludes public", "private", "8.8.8.8", false],
  ];
  for (const [label, setting, peer, trusted] of cases) {
    it(label, () => expect(isTrustedProxy(peer, parseTrustProxy(setting))).toBe(trusted));
  }

  it("rejects what it cannot read, naming the entry", () => {
    expect(() => parseTrustProxy("10.0.0.0/33")).toThrow(/"10.0.0.0\/33": prefix length must be 0-32/);
    expect(() => parseTrustProxy("proxy.internal")).toThrow(/"proxy.internal" is not an IP address or CIDR range/);
    expect(() => parseTrustProxy("10.0.0.0/x")).toThrow(/prefix length/);
  });
});

describe("resolveClientAddress", () => {
  const none = parseTrustProxy(undefined);
  const proxy = parseTrustProxy("10.0.0.0/8");

  it("without a peer (next dev, tests) trusts no forwarding header", () => {
    const address = resolveClientAddress(new Headers({ "x-forwarded-for": "198.51.100.1", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }), proxy);
    expect(address).toMatchObject({ ip: "unknown", peer: null, viaTrustedProxy: false, forwardedHost: null, forwardedProto: null, forwarded: true });
  });

  it("without a peer, what Next.js writes itself does not count as forwarded", () => {
    const nextOwn = new Headers({ host: "localhost:3000", "x-forwarded-for": "::ffff:127.0.0.1", "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http" });
    expect(resolveClientAddress(nextOwn, none).forwarded).toBe(false);
    for (const extra of [{ "x-real-ip": "1.2.3.4" }, { forwarded: "for=1.2.3.4" }, { "x-forwarded-for": "1.2.3.4, 127.0.0.1" }, { "x-forwarded-host": "reclab.example" }]) {
      const headers = new Headers(nextOwn);
      for (const [k, v] of Object.entries(extra)) headers.set(k, v);
      expect(resolveClientAddress(headers, none).forwarded, JSON.stringify(extra)).toBe(true);
    }
  });

  it("an untrusted peer is the client, whatever it claims", () => {
    const address = resolveClientAddress(viaServer("203.0.113.50", { "x-forwarded-for": "198.51.100.1", "x-forwarded-proto": "https" }), proxy);
    expect(address).toMatchObject({ ip: "203.0.113.50", viaTrustedProxy: false, forwarded: true, forwardedProto: null });
  });

  // [label, TRUST_PROXY, peer, forwarding headers, client ip]
  const chains: [string, string, string, Record<string, string>, string][] = [
    ["trusted peer, one hop", "10.0.0.0/8", "10.0.0.2", { "x-forwarded-for": "198.51.100.1" }, "198.51.100.1"],
    ["a client-sent entry before the proxy's is skipped", "10.0.0.0/8", "10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.1" }, "198.51.100.1"],
    ["two trusted proxies", "10.0.0.0/8", "10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.1, 10.0.0.3" }, "198.51.100.1"],
    ["hop count 1 takes the last entry", "1", "172.17.0.1", { "x-forwarded-for": "6.6.6.6, 198.51.100.1" }, "198.51.100.1"],
    ["hop count 2 takes the one before", "2", "172.17.0.1", { "x-forwarded-for": "6.6.6.6, 198.51.100.1, 10.1.1.1" }, "198.51.100.1"],
    ["hop count larger than the chain takes the first", "5", "172.17.0.1", { "x-forwarded-for": "198.51.100.1" }, "198.51.100.1"],
    ["Forwarded header", "10.0.0.0/8", "10.0.0.2", { forwarded: 'for=198.51.100.1;proto=https, for="[2001:db8::7]"' }, "2001:db8::7"],
    ["X-Real-IP", "10.0.0.0/8", "10.0.0.2", { "x-real-ip": "198.51.100.1" }, "198.51.100.1"],
    ["X-Real-IP beside the X-Forwarded-For Next.js writes", "10.0.0.0/8", "10.0.0.2", { "x-real-ip": "198.51.100.1", "x-forwarded-for": "::ffff:10.0.0.2" }, "198.51.100.1"],
    ["IPv4-mapped peer", "127.0.0.1", "::ffff:127.0.0.1", { "x-forwarded-for": "198.51.100.1" }, "198.51.100.1"],
    ["no forwarding header: the proxy itself", "10.0.0.0/8", "10.0.0.2", {}, "10.0.0.2"],
  ];
  for (const [label, setting, peer, headers, ip] of chains) {
    it(label, () => expect(resolveClientAddress(viaServer(peer, headers), parseTrustProxy(setting)).ip).toBe(ip));
  }

  it("takes host and protocol from a trusted proxy only", () => {
    const headers = { "x-forwarded-for": "198.51.100.1", "x-forwarded-host": "reclab.example", "x-forwarded-proto": "HTTPS" };
    expect(resolveClientAddress(viaServer("10.0.0.2", headers), proxy)).toMatchObject({ viaTrustedProxy: true, forwardedHost: "reclab.example", forwardedProto: "https" });
    expect(resolveClientAddress(viaServer("10.0.0.2", { forwarded: "for=1.2.3.4;host=reclab.example;proto=https" }), proxy)).toMatchObject({ forwardedHost: "reclab.example", forwardedProto: "https" });
  });

  it("knows loopback addresses", () => {
    expect(["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"].every(isLoopback)).toBe(true);
    expect(["10.0.0.1", "::2", "unknown"].some(isLoopback)).toBe(false);
  });
});
