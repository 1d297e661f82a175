import { serverSuite } from '../../helpers/server-env';
import { operatorActionScenarios } from '../../scenarios/operator-actions.scenarios';

const suite = serverSuite('memory');
operatorActionScenarios('PostgreSQL 15, memory broker', suite.env);
afterAll(() => suite.cleanup());
