import { AppConfig } from '../config/app-config';
import { commandQueueProblem, takenTopicProblem, workerTopicProblems, workerTopicRules } from './worker-topic';

const rules = {
  reserved: ['orchestrator.registration', 'orchestrator.execution.start', 'orchestrator.reply', 'orchestrator.run.status'],
  commandPrefix: 'orchestrator.commands.',
};

describe('workerTopicProblems', () => {
  it("accepts the service's own topic under the command prefix", () => {
    expect(workerTopicProblems('orchestrator.commands.realm-service', 'realm-service', rules)).toEqual([]);
  });

  it.each(['orchestrator.execution.start', 'orchestrator.registration', 'orchestrator.reply', 'orchestrator.run.status'])(
    "refuses Baton's own topic %s", (topic) => {
      expect(workerTopicProblems(topic, 'x', rules)).toEqual([{ path: 'topic', message: expect.stringContaining("Baton's own") }]);
    });

  it('refuses dead-letter topics, also under the prefix', () => {
    expect(workerTopicProblems('orchestrator.reply.DLQ', 'x', rules)).toHaveLength(1);
    expect(workerTopicProblems('orchestrator.commands.x.DLQ', 'x', rules)).toHaveLength(1);
  });

  it('refuses topics outside the prefix, and the bare prefix', () => {
    expect(workerTopicProblems('payments', 'x', rules)[0].message).toBe('must be orchestrator.commands.x');
    expect(workerTopicProblems('orchestrator.commands.', 'x', rules)).toHaveLength(1);
  });

  it("refuses another service's topic and sub-topics, which may be yet another service's own", () => {
    for (const topic of ['orchestrator.commands.payments', 'orchestrator.commands.realm-service.slow', 'orchestrator.commands.realm']) {
      expect(workerTopicProblems(topic, 'realm-service', rules))
        .toEqual([{ path: 'topic', message: 'under orchestrator.commands. the topic of realm-service is orchestrator.commands.realm-service only' }]);
    }
  });

  it('accepts what ALLOWED_WORKER_TOPIC_PATTERN matches, but never a reserved topic nor another service\'s', () => {
    const wide = { ...rules, allowed: /^legacy\./ };
    expect(workerTopicProblems('legacy.realm', 'x', wide)).toEqual([]);
    expect(workerTopicProblems('orchestrator.execution.start', 'x', { ...rules, allowed: /.*/ })).toHaveLength(1);
    expect(workerTopicProblems('orchestrator.commands.payments', 'x', { ...rules, allowed: /.*/ })).toHaveLength(1);
  });
});

describe('workerTopicRules', () => {
  const rulesFrom = (settings: Partial<AppConfig>) => workerTopicRules(Object.assign(new AppConfig(), settings));
  const ownTopic = { path: 'topic', message: expect.stringContaining("Baton's own") };

  it("reserves the Orca adapter's topics, with ORCA_COMPAT off and a pattern that admits anything", () => {
    const wide = rulesFrom({ ALLOWED_WORKER_TOPIC_PATTERN: '.*' });
    for (const topic of ['RequestCreated', 'RequestStatusUpdated', 'orchestrator.execution.start', 'orchestrator.run.status']) {
      expect(workerTopicProblems(topic, 'x', wide)).toEqual([ownTopic]);
    }
    const renamed = rulesFrom({ ALLOWED_WORKER_TOPIC_PATTERN: '.*', ORCA_REQUEST_TOPIC: 'orca.in', ORCA_STATUS_TOPIC: 'orca.out' });
    expect(workerTopicProblems('orca.out', 'x', renamed)).toEqual([ownTopic]);
    expect(workerTopicProblems('orca.in', 'x', renamed)).toEqual([ownTopic]);
    expect(workerTopicProblems('legacy.realm', 'x', wide)).toEqual([]);
  });

  it('applies ALLOWED_WORKER_TOPIC_PATTERN to the whole topic, each alternative too', () => {
    const legacy = rulesFrom({ ALLOWED_WORKER_TOPIC_PATTERN: 'legacy' });
    expect(workerTopicProblems('legacy', 'x', legacy)).toEqual([]);
    for (const topic of ['payments.legacy', 'legacy.realm', 'xlegacyx']) {
      expect(workerTopicProblems(topic, 'x', legacy)).toEqual([{ path: 'topic', message: expect.stringContaining('must be orchestrator.commands.x or match') }]);
    }
    const either = rulesFrom({ ALLOWED_WORKER_TOPIC_PATTERN: 'jobs|legacy\\..+' });
    expect(['jobs', 'legacy.realm', 'jobs.other', 'my.jobs'].map((t) => workerTopicProblems(t, 'x', either).length)).toEqual([0, 0, 1, 1]);
  });
});

describe('commandQueueProblem', () => {
  const prefix = 'orchestrator.commands.';

  it("refuses a name that makes the RabbitMQ queue <service>.<topic> longer than RabbitMQ's 255 bytes", () => {
    // The service's own topic: the queue is 2 × its length + 23 bytes.
    const fits = 'a'.repeat(116);
    expect(commandQueueProblem(`${prefix}${fits}`, fits, 'service')).toBeUndefined();
    const long = 'a'.repeat(117);
    expect(commandQueueProblem(`${prefix}${long}`, long, 'service')).toEqual({
      path: 'service', message: expect.stringMatching(/ 257 bytes long, and RabbitMQ allows 255: use a shorter name$/),
    });
    expect(commandQueueProblem(`legacy.${'t'.repeat(193)}`, 'b'.repeat(54), 'topic')).toBeUndefined();
    expect(commandQueueProblem(`legacy.${'t'.repeat(193)}`, 'b'.repeat(55), 'topic')).toMatchObject({ path: 'topic' });
  });

  it('counts the topic\'s dead-letter queue too, longer than the queue for a one-letter service', () => {
    expect(commandQueueProblem('t'.repeat(252), 'x', 'topic')).toMatchObject({ message: expect.stringContaining(' 256 bytes long') });
    expect(commandQueueProblem('t'.repeat(251), 'x', 'topic')).toBeUndefined();
  });
});

describe('takenTopicProblem', () => {
  it("refuses a pattern topic another service has registrations on, without naming that service", async () => {
    expect(await takenTopicProblem('legacy.a', rules.commandPrefix, async () => true))
      .toEqual({ path: 'topic', message: "legacy.a carries another service's commands: register on a topic of your own" });
    expect(await takenTopicProblem('legacy.a', rules.commandPrefix, async () => false)).toBeUndefined();
  });

  it('leaves a topic under the command prefix to workerTopicProblems, without asking who has it', async () => {
    const taken = jest.fn(async () => true);
    expect(await takenTopicProblem('orchestrator.commands.pay', rules.commandPrefix, taken)).toBeUndefined();
    expect(taken).not.toHaveBeenCalled();
  });
});
