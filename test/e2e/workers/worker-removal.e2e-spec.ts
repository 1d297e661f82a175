import { workerRemovalScenarios } from '../../scenarios/worker-removal.scenarios';

workerRemovalScenarios('embedded default: PGlite, in-process broker', async () => ({}));
