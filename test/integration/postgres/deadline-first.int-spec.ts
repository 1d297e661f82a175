import { serverSuite } from '../../helpers/server-env';
import { deadlineFirstScenarios } from '../../scenarios/deadline-first.scenarios';

const suite = serverSuite('memory');
deadlineFirstScenarios('PostgreSQL 15', suite.env);
afterAll(() => suite.cleanup());
