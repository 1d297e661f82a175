import { workerAccessScenarios } from '../../scenarios/worker-access.scenarios';

workerAccessScenarios('embedded default: PGlite, in-process broker', async () => ({}));
