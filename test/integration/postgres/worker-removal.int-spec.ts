import { serverSuite } from '../../helpers/server-env';
import { workerRemovalScenarios } from '../../scenarios/worker-removal.scenarios';

const suite = serverSuite('memory');
workerRemovalScenarios('PostgreSQL 15', suite.env);
afterAll(() => suite.cleanup());
