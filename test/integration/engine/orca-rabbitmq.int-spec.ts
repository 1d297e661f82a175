import { serverSuite } from '../../helpers/server-env';
import { orcaScenarios } from '../../scenarios/orca.scenarios';

const suite = serverSuite('rabbitmq');
orcaScenarios('PostgreSQL 15, rabbitmq broker', suite.env);
afterAll(() => suite.cleanup());
