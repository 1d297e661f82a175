import { workerTopicProblems } from './worker-topic';

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
