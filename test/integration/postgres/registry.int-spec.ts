import { serverSuite } from '../../helpers/server-env';
import { registryScenarios } from '../../scenarios/registry.scenarios';

const suite = serverSuite('memory');
registryScenarios('PostgreSQL 15', suite.env);
afterAll(() => suite.cleanup());
