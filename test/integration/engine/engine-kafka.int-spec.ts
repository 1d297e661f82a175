import { serverSuite } from '../../helpers/server-env';
import { engineScenarios } from '../../scenarios/engine.scenarios';

const suite = serverSuite('kafka');
engineScenarios('PostgreSQL 15, kafka broker', suite.env);
afterAll(() => suite.cleanup());
