import { serverSuite } from '../../helpers/server-env';
import { engineScenarios } from '../../scenarios/engine.scenarios';

const suite = serverSuite('memory');
engineScenarios('PostgreSQL 15, memory broker', suite.env);
afterAll(() => suite.cleanup());
