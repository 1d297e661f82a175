import 'reflect-metadata';
import { workerTopicRules } from '../registry/worker-topic';
import { AppConfig } from './app-config';
import { ConfigError, SETTING_NAMES, loadConfig } from './load-config';
import { BATON_TOPIC_SETTINGS } from './topic-settings';

/** What loadConfig refuses `env` with: one line. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

/** The namespaced set the integration suites and the bench use (test/helpers/server-env.ts, test/bench/harness/services.ts). */
const ns = 't1a2b3c4d.';
const namespaced = {
  CONSUMER_GROUP: `${ns}engine`, TOPIC_REGISTRATION: `${ns}registration`, TOPIC_EXECUTION_START: `${ns}start`,
  TOPIC_REPLY: `${ns}reply`, TOPIC_RUN_STATUS: `${ns}status`, COMMAND_TOPIC_PREFIX: `${ns}commands.`,
};

describe('Baton\'s topic settings', () => {
  it('are the topics worker registration reserves, and every TOPIC_* or *_TOPIC setting', () => {
    const config = new AppConfig();
    expect(workerTopicRules(config).reserved).toEqual(BATON_TOPIC_SETTINGS.map((name) => config[name]));
    expect(new Set(BATON_TOPIC_SETTINGS)).toEqual(new Set(SETTING_NAMES.filter((n) => /^TOPIC_|_TOPIC$/.test(n))));
  });

  it('accept the defaults, a namespaced set like the test suites\', and the Orca scenarios\' topics', () => {
    expect(loadConfig({})).toMatchObject({ TOPIC_REPLY: 'orchestrator.reply', COMMAND_TOPIC_PREFIX: 'orchestrator.commands.', CONSUMER_GROUP: 'baton-engine' });
    expect(loadConfig(namespaced)).toMatchObject(namespaced);
    const acl = (t: string) => `${ns}${t}`; // test/integration/messaging/kafka-acl.int-spec.ts
    expect(() => loadConfig({ CONSUMER_GROUP: `${ns}baton-engine`, COMMAND_TOPIC_PREFIX: acl('commands.'), TOPIC_REGISTRATION: acl('registration'),
      TOPIC_EXECUTION_START: acl('execution.start'), TOPIC_REPLY: acl('reply'), TOPIC_RUN_STATUS: acl('run.status') })).not.toThrow();
    expect(() => loadConfig({ ...namespaced, ORCA_COMPAT: 'true', ORCA_REQUEST_TOPIC: 'RequestCreated.1a2b', ORCA_STATUS_TOPIC: 'RequestStatusUpdated.1a2b' }))
      .not.toThrow();
    // A prefix that merely shares a beginning with a topic is no problem.
    expect(() => loadConfig({ COMMAND_TOPIC_PREFIX: 'orchestrator.replies.', TOPIC_RUN_STATUS: 'orchestrator.run.status.v2' })).not.toThrow();
  });

  it('refuses two settings on one topic, naming both', () => {
    expect(refusal({ TOPIC_REPLY: 'orchestrator.execution.start' }))
      .toBe('Invalid configuration: TOPIC_EXECUTION_START and TOPIC_REPLY are both orchestrator.execution.start: each of Baton\'s topics needs a name of its own');
    expect(refusal({ ...namespaced, TOPIC_RUN_STATUS: `${ns}reply` })).toContain(`TOPIC_REPLY and TOPIC_RUN_STATUS are both ${ns}reply`);
    expect(refusal({ ORCA_STATUS_TOPIC: 'orchestrator.run.status' })).toContain('TOPIC_RUN_STATUS and ORCA_STATUS_TOPIC are both orchestrator.run.status');
    expect(refusal({ TOPIC_REGISTRATION: 'x', TOPIC_REPLY: 'x', ORCA_REQUEST_TOPIC: 'x' }))
      .toContain('TOPIC_REGISTRATION, TOPIC_REPLY and ORCA_REQUEST_TOPIC are all x');
  });

  it('refuses a topic that is another\'s dead-letter topic, or any .DLQ, naming the variables', () => {
    expect(refusal({ TOPIC_RUN_STATUS: 'orchestrator.reply.DLQ' }))
      .toBe('Invalid configuration: TOPIC_RUN_STATUS is orchestrator.reply.DLQ, the dead-letter topic of TOPIC_REPLY');
    expect(refusal({ ORCA_STATUS_TOPIC: 'RequestCreated.DLQ' })).toContain('ORCA_STATUS_TOPIC is RequestCreated.DLQ, the dead-letter topic of ORCA_REQUEST_TOPIC');
    expect(refusal({ TOPIC_REPLY: 'replies.DLQ' })).toContain('TOPIC_REPLY is replies.DLQ: a topic ending in .DLQ is a dead-letter topic');
  });

  it('refuses a topic under COMMAND_TOPIC_PREFIX, naming both', () => {
    expect(refusal({ TOPIC_RUN_STATUS: 'orchestrator.commands.foo' })).toBe('Invalid configuration: TOPIC_RUN_STATUS (orchestrator.commands.foo) '
      + 'starts with COMMAND_TOPIC_PREFIX (orchestrator.commands.), where each service\'s commands go (orchestrator.commands.<service>)');
    expect(refusal({ COMMAND_TOPIC_PREFIX: 'evalops.', TOPIC_REPLY: 'evalops.reply' }))
      .toContain('TOPIC_REPLY (evalops.reply) starts with COMMAND_TOPIC_PREFIX (evalops.)');
    expect(refusal({ COMMAND_TOPIC_PREFIX: 'orchestrator.' }).split('; ')).toHaveLength(4);
    expect(refusal({ COMMAND_TOPIC_PREFIX: 'Request' })).toMatch(/ORCA_REQUEST_TOPIC .*; ORCA_STATUS_TOPIC /);
  });

  it('refuses a prefix under one of Baton\'s topics: every worker\'s own topic would be refused as Baton\'s', () => {
    expect(refusal({ COMMAND_TOPIC_PREFIX: 'orchestrator.reply.' })).toBe('Invalid configuration: COMMAND_TOPIC_PREFIX (orchestrator.reply.) '
      + 'is under TOPIC_REPLY (orchestrator.reply): registration would refuse every worker\'s command topic as Baton\'s');
  });

  it('lists every problem in one line', () => {
    expect(refusal({ TOPIC_REPLY: 'orchestrator.execution.start', TOPIC_RUN_STATUS: 'orchestrator.commands.status' }).split('; ')).toHaveLength(2);
  });
});

describe('CONSUMER_GROUP', () => {
  it('refuses an empty or blank group instead of reading it as the default', () => {
    for (const group of ['', ' ', '\t  ']) {
      expect(refusal({ CONSUMER_GROUP: group })).toBe('Invalid configuration: CONSUMER_GROUP must not be empty or blank (unset, it is baton-engine)');
    }
    expect(loadConfig({}).CONSUMER_GROUP).toBe('baton-engine');
    expect(loadConfig({ CONSUMER_GROUP: 'eu-engine' }).CONSUMER_GROUP).toBe('eu-engine');
  });
});

describe('DATABASE_WRITES_IN_FLIGHT', () => {
  it('is at most DATABASE_POOL_SIZE', () => {
    expect(refusal({ DATABASE_POOL_SIZE: '4', DATABASE_WRITES_IN_FLIGHT: '5' }))
      .toBe('Invalid configuration: DATABASE_WRITES_IN_FLIGHT (5) must be at most DATABASE_POOL_SIZE (4): each write in flight holds a connection of the pool');
    expect(refusal({ DATABASE_WRITES_IN_FLIGHT: '17' })).toContain('DATABASE_WRITES_IN_FLIGHT (17) must be at most DATABASE_POOL_SIZE (16)');
    expect(loadConfig({ DATABASE_POOL_SIZE: '4', DATABASE_WRITES_IN_FLIGHT: '4' }).DATABASE_WRITES_IN_FLIGHT).toBe(4);
    expect(loadConfig({ DATABASE_POOL_SIZE: '2' }).DATABASE_WRITES_IN_FLIGHT).toBe(1); // test/integration/hostile/database-outage.int-spec.ts
  });

  it('leaves an invalid pool size to its own message', () => {
    expect(refusal({ DATABASE_POOL_SIZE: 'many', DATABASE_WRITES_IN_FLIGHT: '2' })).not.toContain('DATABASE_WRITES_IN_FLIGHT');
  });
});
