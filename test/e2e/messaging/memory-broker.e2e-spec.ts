import 'reflect-metadata';
import { loadConfig } from '../../../src/config/load-config';
import { describeBrokerContract } from '../../integration/messaging/broker-contract';

// The in-process broker has no server to stop: the restart cases run against Kafka and RabbitMQ only.
describeBrokerContract('memory', (overrides = {}) => loadConfig({ MESSAGING_DRIVER: 'memory', ...overrides }));
