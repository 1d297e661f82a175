import { workerSdkContract } from '../../helpers/worker-sdk-contract';

// The HTTP transport on the embedded default (PGlite + in-process broker): what `npm start` offers.
workerSdkContract('HTTP on the embedded default', async () => ({ env: {}, transport: 'http' }));
