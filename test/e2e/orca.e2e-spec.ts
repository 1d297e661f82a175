import { orcaScenarios } from '../scenarios/orca.scenarios';

orcaScenarios('embedded default: PGlite, in-process broker', async () => ({}));
