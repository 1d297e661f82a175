import { serverSuite } from '../../helpers/server-env';
import { workerAccessScenarios } from '../../scenarios/worker-access.scenarios';

const suite = serverSuite('memory');
workerAccessScenarios('PostgreSQL 15', suite.env);
afterAll(() => suite.cleanup());
