import 'reflect-metadata';
import { loadConfig } from '../../../src/config/load-config';
import { serviceControls } from '../../helpers/broker-control';
import { describeBrokerContract } from './broker-contract';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

describeBrokerContract(
  'kafka',
  (overrides = {}) => loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: brokers, ...overrides }),
  serviceControls('kafka'),
);
