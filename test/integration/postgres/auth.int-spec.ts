import { serverSuite } from '../../helpers/server-env';
import { authScenarios } from '../../scenarios/auth.scenarios';

const suite = serverSuite('memory');
authScenarios('PostgreSQL 15', suite.env);
afterAll(() => suite.cleanup());
