import { serverSuite } from '../../helpers/server-env';
import { engineScenarios } from '../../scenarios/engine.scenarios';

const suite = serverSuite('rabbitmq');
engineScenarios('PostgreSQL 15, rabbitmq broker', suite.env);
afterAll(() => suite.cleanup());
