import { dagScenarios } from '../scenarios/dag.scenarios';

dagScenarios('embedded default: PGlite, in-process broker', async () => ({}));
