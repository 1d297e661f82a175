import 'reflect-metadata';
import { loadConfig } from '../load-config';

describe('ServerSettings: TRUST_PROXY', () => {
  const trustProxyOf = (TRUST_PROXY: string) => loadConfig({ TRUST_PROXY }).trustProxy;

  it('trusts no proxy by default: the socket address is the client', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(trustProxyOf('false')).toBe(false);
  });

  it('reads a list of addresses, subnets and named ranges', () => {
    expect(trustProxyOf('loopback')).toEqual(['loopback']);
    expect(trustProxyOf(' 10.0.0.0/8, fd00::/8 ,192.168.1.7,::1,linklocal,uniquelocal'))
      .toEqual(['10.0.0.0/8', 'fd00::/8', '192.168.1.7', '::1', 'linklocal', 'uniquelocal']);
  });

  it('takes what Fastify takes, netmasks too', () => {
    expect(trustProxyOf('10.0.0.0/255.0.0.0,10.1.2.3/255.255.255.255,::ffff:10.0.0.0/104'))
      .toEqual(['10.0.0.0/255.0.0.0', '10.1.2.3/255.255.255.255', '::ffff:10.0.0.0/104']);
  });

  it('refuses to trust every hop, saying why', () => {
    for (const everyone of ['true', 'TRUE', '0.0.0.0/0', '10.0.0.1,::/0', '10.0.0.0/00', '10.0.0.0/0.0.0.0', '::/::', '::ffff:0:0/96']) {
      expect(() => trustProxyOf(everyone)).toThrow(/TRUST_PROXY must not trust every hop .*any client picks its own address with X-Forwarded-For/);
    }
  });

  it('refuses a hop count, which Fastify would read as trusting no proxy, saying what to set instead', () => {
    for (const hops of ['0', '1', '2', ' 3 ']) {
      expect(() => trustProxyOf(hops)).toThrow(/TRUST_PROXY no longer takes a hop count: .*Set the addresses or subnets of the proxies/);
    }
  });

  it('refuses what is not an address, a subnet or a named range, naming the entry', () => {
    for (const [setting, bad] of [['10.0.0.300', '10.0.0.300'], ['10.0.0.0/33', '10.0.0.0/33'], ['fd00::/129', 'fd00::/129'],
      ['1.2.3.4/8/8', '1.2.3.4/8/8'], ['proxy.internal', 'proxy.internal'], ['loopback,', ''], ['10.0.0.0/255.0.255.0', '10.0.0.0/255.0.255.0'],
      ['fd00::/ffff::', 'fd00::/ffff::'], ['loopback,10.0.0.1/8x', '10.0.0.1/8x'], ['-1', '-1'], ['1.5', '1.5'], ['2.0', '2.0'], ['127.1', '127.1'], ['0x0a.0.0.1', '0x0a.0.0.1'], ['10.0.0.0/255.0', '10.0.0.0/255.0'], ['yes', 'yes']]) {
      expect(() => trustProxyOf(setting)).toThrow('TRUST_PROXY must be false or a comma-separated list of addresses, '
        + `subnets (CIDR or netmask), loopback, linklocal, uniquelocal: not "${bad}"`);
    }
  });
});

describe('ServerSettings: SHUTDOWN_DRAIN_SECONDS', () => {
  const admin = { ADMIN_API_KEY: `bk_admin_${'a'.repeat(32)}` };

  it('drains 5 s before stopping where a balancer may send requests, none on loopback unless asked', () => {
    expect(loadConfig({}).shutdownDrainMs).toBe(0);
    expect(loadConfig({ HOST: '0.0.0.0', ...admin }).shutdownDrainMs).toBe(5000);
    expect(loadConfig({ HOST: '0.0.0.0', SHUTDOWN_DRAIN_SECONDS: '0', ...admin }).shutdownDrainMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_SECONDS: '12' }).shutdownDrainMs).toBe(12_000);
  });

  it('refuses a drain that is negative, fractional or over five minutes', () => {
    for (const bad of ['-1', '1.5', '301', 'soon']) expect(() => loadConfig({ SHUTDOWN_DRAIN_SECONDS: bad })).toThrow(/SHUTDOWN_DRAIN_SECONDS/);
  });
});
