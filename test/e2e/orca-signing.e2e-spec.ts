import { orcaSigningScenarios } from '../scenarios/orca.scenarios';

orcaSigningScenarios('embedded default: PGlite, in-process broker', async () => ({}));
