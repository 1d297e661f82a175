import { messageSigningScenarios } from '../../scenarios/message-signing.scenarios';

messageSigningScenarios('embedded default: PGlite, in-process broker', async () => ({}));
