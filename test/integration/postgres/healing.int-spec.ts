import { serverSuite } from '../../helpers/server-env';
import { healingScenarios } from '../../scenarios/healing.scenarios';

const suite = serverSuite('memory');
healingScenarios('PostgreSQL 15', suite.env);
afterAll(() => suite.cleanup());
