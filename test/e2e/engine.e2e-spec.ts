import { engineScenarios } from '../scenarios/engine.scenarios';

engineScenarios('embedded default: PGlite, in-process broker', async () => ({}));
