import { authScenarios } from '../../scenarios/auth.scenarios';

authScenarios('embedded default: PGlite, in-process broker', async () => ({}));
