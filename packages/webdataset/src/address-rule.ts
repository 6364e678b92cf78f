// Which network addresses an outbound fetch may reach: public unicast addresses only, unless the
// operator allowlists a host or a CIDR range (an internal data server). ipaddr.js classifies the
// address; IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
import ipaddr from 'ipaddr.js';

/** An operator allowlist entry: a host name, an IP address or a CIDR range. */
export type AllowEntry =
  { kind: 'host'; host: string } | { kind: 'range'; range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

/**
 * Parse allowlist entries (`data.internal`, `10.1.2.3`, `10.0.0.0/8`, `fd00::/8`); throws naming
 * an entry that is none of these.
 */
export function parseAllowList(entries: readonly string[]): AllowEntry[] {
  return entries.map((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry.includes('/')) {
      try {
        return { kind: 'range', range: ipaddr.parseCIDR(entry) };
      } catch {
        throw new Error(`allowlist entry "${raw}" is not a CIDR range`);
      }
    }
    if (ipaddr.isValid(entry)) {
      const address = ipaddr.process(entry);
      const bits = address.kind() === 'ipv4' ? 32 : 128;
      return { kind: 'range', range: [address, bits] };
    }
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry))
      throw new Error(`allowlist entry "${raw}" is not a host name, an address or a CIDR range`);
    return { kind: 'host', host: entry };
  });
}

/** The address with IPv4-mapped IPv6 unwrapped; undefined when it is not an IP address. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}

/**
 * True for a public unicast address. Refused: loopback, private (RFC 1918), link-local (and with
 * it the 169.254.169.254 cloud metadata address), unique-local (fc00::/7, e.g. fd00:ec2::254),
 * CGNAT (100.64.0.0/10), unspecified, broadcast, multicast, reserved, and the IPv6 ranges that
 * embed an IPv4 address (6to4, Teredo, NAT64) since they can carry any of those.
 */
export function isPublicAddress(address: string): boolean {
  const parsed = parseAddress(address);
  return parsed !== undefined && parsed.range() === 'unicast';
}

/** True when the operator's allowlist names this host or holds this address. */
export function isAllowListed(host: string, address: string, list: readonly AllowEntry[]): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  const parsed = parseAddress(address);
  return list.some((entry) => {
    if (entry.kind === 'host') return entry.host === name;
    if (!parsed || parsed.kind() !== entry.range[0].kind()) return false;
    return parsed.match(entry.range);
  });
}
