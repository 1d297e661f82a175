import 'reflect-metadata';
import { loadConfig } from '../config/load-config';
import { batonTopics } from './baton-topics';

describe('batonTopics', () => {
  it('lists every topic Baton consumes, their dead-letter topics and run status, as configured', () => {
    const topics = batonTopics(loadConfig({ TOPIC_RUN_STATUS: 'acme.status', TOPIC_REPLY: 'acme.reply' }));
    expect(topics).toEqual(expect.arrayContaining([
      'orchestrator.registration', 'orchestrator.execution.start', 'acme.reply',
      'orchestrator.registration.DLQ', 'orchestrator.execution.start.DLQ', 'acme.reply.DLQ', 'acme.status',
    ]));
    expect(topics).toHaveLength(7);
  });
});
