import type { TopicRules } from '../registry/worker-topic';
import { serviceTopicProblem, TOPIC_SERVICE_NAME_PATTERN } from './service-topic';

const rules: TopicRules = { reserved: ['orchestrator.reply', 'events'], commandPrefix: 'orchestrator.commands.' };

describe('serviceTopicProblem', () => {
  it("refuses a service whose command topic is a dead-letter topic, as registration refuses it as a worker's topic", () => {
    expect(serviceTopicProblem('svc-a.DLQ', rules, 'path.service')).toEqual({
      path: 'path.service', message: 'its command topic orchestrator.commands.svc-a.DLQ is a dead-letter or internal topic of Baton',
    });
    expect(serviceTopicProblem('DLQ', rules, 'service')?.message).toBe('its command topic orchestrator.commands.DLQ is a dead-letter or internal topic of Baton');
    for (const service of ['svc-a', 'svc-a.DLQ2', 'svc-a.dlq-tools', 'a_DLQ']) expect(serviceTopicProblem(service, rules, 'service')).toBeUndefined();
  });

  it('refuses one whose command topic falls under a Baton topic, with a prefix that puts it there', () => {
    expect(serviceTopicProblem('x', { ...rules, commandPrefix: 'events.' }, 'service')?.message).toBe('its command topic events.x is a dead-letter or internal topic of Baton');
  });

  it('publishes the part of the rule that needs no setting: the schema refuses what the server does', () => {
    for (const service of ['svc-a.DLQ', 'a.b.DLQ', 'DLQ']) expect(TOPIC_SERVICE_NAME_PATTERN.test(service)).toBe(false);
    for (const service of ['svc-a', 'svc-a.DLQ2', 'a_DLQ', 'DLQ.x']) expect(TOPIC_SERVICE_NAME_PATTERN.test(service)).toBe(true);
    expect(TOPIC_SERVICE_NAME_PATTERN.test('-lead')).toBe(false);
  });
});
