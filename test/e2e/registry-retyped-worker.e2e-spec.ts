import { retypedWorkerScenarios } from '../scenarios/registry-retyped-worker.scenarios';

retypedWorkerScenarios('embedded default: PGlite, in-process broker', async () => ({}));
