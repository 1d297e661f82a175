import { createWorker, type WorkerOptions } from './worker';
import { control } from './worker.fixtures';

describe('createWorker: its options, names and steps, checked when it is created', () => {
  it('needs Baton\'s URL unless it is given a control of its own', () => {
    expect(() => createWorker({ service: 'shop' })).toThrow('Give baton: {url} (or a control of your own)');
    expect(() => createWorker({ service: 'shop', control })).not.toThrow();
  });

  it('takes the service names Baton takes, and only those', () => {
    for (const service of ['a', 'shop-1', 'x'.repeat(200), '9.team_b']) expect(() => createWorker({ service, control })).not.toThrow();
    for (const service of ['', 'x'.repeat(201), '.shop', '-shop', 'a b', 'team/x', 'payments@corp']) {
      expect(() => createWorker({ service, control })).toThrow(`Invalid service name ${service}: start with a letter or digit`);
    }
  });

  it('refuses at once a step declared without a do function, with a bad undo or objectType, or twice', () => {
    const worker = createWorker({ service: 'shop', control });
    const bad = [
      [{ objectType: 'String' }, 'Step flow/a needs a `do` function'],
      [{ objectType: 'String', do: 'run' }, 'Step flow/a needs a `do` function'],
      [{ objectType: 'String', do: () => 1, undo: {} }, 'Step flow/a has an `undo` that is not a function'],
      [{ do: () => 1 }, 'Step flow/a needs its `objectType`'],
    ] as const;
    for (const [def, message] of bad) expect(() => worker.step('flow', 'a', def as never)).toThrow(message);
    worker.step('flow', 'a', { objectType: 'String', do: () => 1 });
    expect(() => worker.step('flow', 'a', { objectType: 'String', do: () => 2 })).toThrow('Step flow/a is declared twice: declare each step once');
    expect(() => worker.step('flow', 'b', { objectType: 'String', do: () => 2 })).not.toThrow();
  });

  it('refuses at once a template or step name Baton would refuse or trim (its commands would never match), naming the rule', () => {
    const worker = createWorker({ service: 'shop', control });
    for (const [orchName, stepName, shown] of [['tenantCreation', 'createRealm ', '"createRealm "'], [' tenantCreation', 'createRealm', '" tenantCreation"'],
      ['order', '-charge', '"-charge"'], ['order', 'ch arge', '"ch arge"'], ['order', '', '""'], ['order', 'x'.repeat(201), `"${'x'.repeat(201)}"`],
      ['order', 'charge/1', '"charge/1"']] as const) {
      const thrown = (() => { try { worker.step(orchName, stepName, { objectType: 'String', do: () => 1 }); } catch (e) { return e; } })();
      expect(thrown).toMatchObject({ code: 'INVALID_STEP', message: expect.stringContaining(`name Baton does not take, ${shown}: start with a letter or digit`) });
    }
    for (const [orchName, stepName] of [['tenantCreation', 'createRealm'], ['9.team_b', 'step-1.v2'], ['o', 'x'.repeat(200)]]) {
      expect(() => worker.step(orchName, stepName, { objectType: 'String', do: () => 1 })).not.toThrow();
    }
  });

  it('refuses to start the HTTP transport without Baton\'s URL', async () => {
    for (const transport of ['http', { http: {} }] as const) {
      const worker = createWorker({ service: 'shop', control, handleSignals: false, transport })
        .step('order', 'charge', { objectType: 'Order', do: () => 1 });
      await expect(worker.start()).rejects.toThrow('the HTTP transport long-polls Baton\'s REST API');
    }
  });

  it('refuses, naming each, timing options that are not whole milliseconds within their range, and an unknown transport', () => {
    const make = (extra: Partial<WorkerOptions>) => () => createWorker({ service: 'shop', control, handleSignals: false, ...extra });
    const longest = 2 ** 31 - 1;
    const upTo = `up to ${longest} (Node's longest timer)`;
    expect(make({ presenceMs: 0, autoHeartbeatMs: -1, handlerTimeoutMs: Number.NaN, drainTimeoutMs: 1.5, maxReplyBytes: 0 })).toThrow(
      'Invalid worker options: maxReplyBytes must be a positive integer, not 0; '
      + `presenceMs must be an integer from 100 ${upTo}, not 0; autoHeartbeatMs must be an integer from 0 (off) ${upTo}, not -1; `
      + `handlerTimeoutMs must be an integer from 0 (no limit) ${upTo}, not NaN; drainTimeoutMs must be an integer from 0 (wait for ever) ${upTo}, not 1.5`);
    // Node fires a longer timer after 1 ms.
    expect(make({ presenceMs: longest + 1 })).toThrow(`presenceMs must be an integer from 100 ${upTo}, not ${longest + 1}`);
    expect(make({ presenceMs: longest, autoHeartbeatMs: 0, handlerTimeoutMs: 0, drainTimeoutMs: 0 })).not.toThrow();
  });

  it('names every problem with its options at once, not the first one only', () => {
    const options = { service: 'shop floor', concurrency: 0, transport: 'carrier-pigeon', baton: { url: '127.0.0.1:3000' }, presenceMs: 0 };
    expect(() => createWorker(options as never)).toThrow(
      'Invalid worker options: Invalid service name shop floor: start with a letter or digit, use only letters, digits, ".", "_" and "-", at most 200 characters; '
      + 'concurrency must be an integer from 1 to 10000, not 0; presenceMs must be an integer from 100 up to 2147483647 (Node\'s longest timer), not 0; '
      + 'Unknown transport: use "http", {kafka: …} or {rabbitmq: …}; '
      + 'baton.url must be an absolute http:// or https:// URL without a query, such as http://127.0.0.1:3000, not "127.0.0.1:3000"');
    expect(() => createWorker({ service: 'shop', concurrency: 10_000, baton: { url: 'http://127.0.0.1:3000' }, handleSignals: false })).not.toThrow();
  });

  it('refuses a transport named by a string other than "http" as unknown (a plain JavaScript caller may pass "rabbitmq")', () => {
    expect(() => createWorker({ service: 'shop', control, handleSignals: false, transport: 'rabbitmq' as never }))
      .toThrow('Unknown transport: use "http", {kafka: …} or {rabbitmq: …}');
  });

  it('refuses a transport.rabbitmq.url that is no amqp(s) URL when it is created, showing no password', () => {
    const make = (url: unknown) => () => createWorker({ service: 'shop', control, handleSignals: false, transport: { rabbitmq: { url } } as never });
    const rule = 'transport.rabbitmq.url must be an amqp:// or amqps:// URL, with a "/", "?", "#", "@" or "%" in its user name or password '
      + 'percent-encoded (encodeURIComponent), not';
    expect(make('amqp://svc:s3cr/et@127.0.0.1:5999')).toThrow(`Invalid worker options: ${rule} "…@127.0.0.1:5999"`);
    expect(make('http://svc:s3cret@127.0.0.1:5672/vh')).toThrow(`Invalid worker options: ${rule} "http://127.0.0.1:5672/vh"`);
    expect(make(undefined)).toThrow(`Invalid worker options: ${rule} undefined`);
    expect(make(`amqps://svc:${encodeURIComponent('s3cr/et')}@127.0.0.1:5999/vh`)).not.toThrow();
  });

  it('refuses a baton.url that is not an absolute http(s) URL when it is created, not at start()', () => {
    for (const url of ['127.0.0.1:3411', '', 'ftp://x']) {
      expect(() => createWorker({ service: 'shop', baton: { url } })).toThrow(`baton.url must be an absolute http:// or https:// URL without a query, such as http://127.0.0.1:3000, not ${JSON.stringify(url)}`);
    }
  });
});
