import { workerTopicProblems } from './worker-topic';

const rules = {
  reserved: ['orchestrator.registration', 'orchestrator.execution.start', 'orchestrator.reply', 'orchestrator.run.status'],
  commandPrefix: 'orchestrator.commands.',
};

describe('workerTopicProblems', () => {
  it('accepts a topic under the command prefix', () => {
    expect(workerTopicProblems('orchestrator.commands.realm-service', rules)).toEqual([]);
  });

  it.each(['orchestrator.execution.start', 'orchestrator.registration', 'orchestrator.reply', 'orchestrator.run.status'])(
    "refuses Baton's own topic %s", (topic) => {
      expect(workerTopicProblems(topic, rules)).toEqual([{ path: 'topic', message: expect.stringContaining("Baton's own") }]);
    });

  it('refuses dead-letter topics, also under the prefix', () => {
    expect(workerTopicProblems('orchestrator.reply.DLQ', rules)).toHaveLength(1);
    expect(workerTopicProblems('orchestrator.commands.x.DLQ', rules)).toHaveLength(1);
  });

  it('refuses topics outside the prefix, and the bare prefix', () => {
    expect(workerTopicProblems('payments', rules)[0].message).toContain('must start with orchestrator.commands.');
    expect(workerTopicProblems('orchestrator.commands.', rules)).toHaveLength(1);
  });

  it('accepts what ALLOWED_WORKER_TOPIC_PATTERN matches, but never a reserved topic', () => {
    const wide = { ...rules, allowed: /^legacy\./ };
    expect(workerTopicProblems('legacy.realm', wide)).toEqual([]);
    expect(workerTopicProblems('orchestrator.execution.start', { ...rules, allowed: /.*/ })).toHaveLength(1);
  });
});
