import { describe, expect, it } from 'vitest';
import { isAllowListed, isPublicAddress, parseAllowList } from './address-rule.js';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['100.64.0.1', 'CGNAT'],
    ['100.100.100.200', 'CGNAT (a cloud metadata address)'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fd00:ec2::254', 'unique-local (AWS metadata over IPv6)'],
    ['fc00::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, in hex'],
    ['2002:7f00:1::', '6to4 wrapping 127.0.0.1'],
    ['64:ff9b::a00:1', 'NAT64 wrapping 10.0.0.1'],
    ['[::1]', 'bracketed loopback'],
    ['example.org', 'not an address'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'accepts the public address %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('the operator allowlist', () => {
  const list = parseAllowList(['data.internal', '10.0.0.0/8', '127.0.0.1', 'fd00::/8']);

  it('matches hosts by name and addresses by range, IPv4-mapped included', () => {
    expect(isAllowListed('DATA.internal', '192.168.9.9', list)).toBe(true);
    expect(isAllowListed('x', '10.200.0.1', list)).toBe(true);
    expect(isAllowListed('x', '::ffff:10.200.0.1', list)).toBe(true);
    expect(isAllowListed('x', '127.0.0.1', list)).toBe(true);
    expect(isAllowListed('x', 'fd12::1', list)).toBe(true);
  });

  it('leaves everything else out', () => {
    expect(isAllowListed('other.internal', '192.168.9.9', list)).toBe(false);
    expect(isAllowListed('x', '127.0.0.2', list)).toBe(false);
    expect(isAllowListed('x', '::1', list)).toBe(false);
    expect(isAllowListed('x', '11.0.0.1', list)).toBe(false);
  });

  it('names an entry that is not a host, an address or a range', () => {
    expect(() => parseAllowList(['10.0.0.0/99'])).toThrow(/"10.0.0.0\/99" is not a CIDR range/);
    expect(() => parseAllowList(['data server'])).toThrow(/"data server" is not a host name/);
  });
});
