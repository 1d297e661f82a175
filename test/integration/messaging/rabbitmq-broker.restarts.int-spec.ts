import 'reflect-metadata';
import { loadConfig } from '../../../src/config/load-config';
import { serviceControls } from '../../helpers/broker-control';
import { describeBrokerContract } from './broker-contract';

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

describeBrokerContract(
  'rabbitmq',
  (overrides = {}) => loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: url, ...overrides }),
  serviceControls('rabbitmq'),
);
