import { serverSuite } from '../../helpers/server-env';
import { orcaScenarios, orcaSigningScenarios } from '../../scenarios/orca.scenarios';

const suite = serverSuite('rabbitmq');
orcaScenarios('PostgreSQL 15, rabbitmq broker', suite.env);
afterAll(() => suite.cleanup());

const signing = serverSuite('rabbitmq');
orcaSigningScenarios('PostgreSQL 15, rabbitmq broker', signing.env);
afterAll(() => signing.cleanup());
