import { operatorActionScenarios } from '../scenarios/operator-actions.scenarios';

operatorActionScenarios('embedded default: PGlite, in-process broker', async () => ({}));
