import 'reflect-metadata';
import type { TopicRules } from '../registry/worker-topic';
import { loadConfig } from '../config/load-config';
import { provenServiceProblem, serviceRulesOf, serviceTopicProblem, TOPIC_SERVICE_NAME_PATTERN, type ServiceRules } from './service-topic';

const rules: TopicRules = { reserved: ['orchestrator.reply', 'events'], commandPrefix: 'orchestrator.commands.' };

describe('serviceTopicProblem', () => {
  it("refuses a service whose command topic is a dead-letter topic, as registration refuses it as a worker's topic", () => {
    expect(serviceTopicProblem('svc-a.DLQ', rules, 'params.service')).toEqual({
      path: 'params.service', message: 'its command topic orchestrator.commands.svc-a.DLQ is a dead-letter or internal topic of Baton',
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

describe('provenServiceProblem', () => {
  const serviceRules: ServiceRules = { ...rules, consumerGroup: 'baton-engine' };

  it("refuses a service named in Baton's own consumer groups: its pollers' Kafka group would be one of Baton's", () => {
    for (const service of ['baton-engine', 'baton-engine.orchestrator.reply', 'baton-engine.x']) {
      expect(provenServiceProblem(service, serviceRules, 'service')).toEqual({
        path: 'service', message: "must not be baton-engine or start with baton-engine.: Baton's own consumer groups",
      });
    }
    for (const service of ['baton-engines', 'baton-engine-2', 'x.baton-engine', 'svc-a']) expect(provenServiceProblem(service, serviceRules, 'service')).toBeUndefined();
  });

  it('follows CONSUMER_GROUP, and refuses what serviceTopicProblem refuses', () => {
    expect(provenServiceProblem('baton-engine', { ...serviceRules, consumerGroup: 'orchestrator' }, 'service')).toBeUndefined();
    expect(provenServiceProblem('orchestrator.a', { ...serviceRules, consumerGroup: 'orchestrator' }, 'service')?.message).toMatch(/^must not be orchestrator /);
    expect(provenServiceProblem('svc-a.DLQ', serviceRules, 'service')).toEqual(serviceTopicProblem('svc-a.DLQ', rules, 'service'));
  });

  it('takes its rules from the settings', () => {
    const config = loadConfig({ CONSUMER_GROUP: 'engine-a', COMMAND_TOPIC_PREFIX: 'cmd.' });
    expect(serviceRulesOf(config)).toMatchObject({ consumerGroup: 'engine-a', commandPrefix: 'cmd.', reserved: expect.arrayContaining([config.TOPIC_REPLY]) });
  });
});
