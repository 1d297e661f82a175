import { registryScenarios } from '../scenarios/registry.scenarios';

registryScenarios('embedded default: PGlite, in-process broker', async () => ({}));
