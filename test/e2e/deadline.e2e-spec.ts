import { deadlineScenarios } from '../scenarios/deadline.scenarios';

deadlineScenarios('embedded default: PGlite, in-process broker', async () => ({}));
