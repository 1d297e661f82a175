import { deadlineFirstScenarios } from '../scenarios/deadline-first.scenarios';

deadlineFirstScenarios('embedded default: PGlite, in-process broker', async () => ({}));
