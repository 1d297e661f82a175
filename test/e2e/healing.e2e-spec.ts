import { healingScenarios } from '../scenarios/healing.scenarios';

healingScenarios('embedded default: PGlite, in-process broker', async () => ({}));
