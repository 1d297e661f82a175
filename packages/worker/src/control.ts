import { BatonHttpError, type BatonClient } from './baton-client';

/** A worker's registration document for one template (the `as: worker` form of Baton's registration). */
export interface RegistrationDocument {
  orchName: string;
  as: 'worker';
  service: string;
  steps: Array<{ name: string; objectType: string }>;
  [extra: string]: unknown;
}

/** What the worker reads of Baton's answer to a registration. */
export interface RegistrationAnswer {
  /** The template's current version; null while no template of that name is registered. */
  version?: number | null;
  /** Steps registered that the template does not have: kept, in case a later version adds them. */
  unknownSteps?: string[];
  /** Steps another service's earlier registration serves: this worker gets their commands only once that one is removed. */
  stepsServedByOthers?: string[];
}

/** What one worker instance reports every few seconds. */
export interface PresenceReport {
  instanceId: string;
  host: string;
  sdkVersion: string;
  steps: Array<{ orchName: string; stepName: string }>;
}

/**
 * How a worker registers its steps and reports presence. The default speaks Baton's REST API;
 * a host that runs workers inside Baton's own process supplies its own.
 */
export interface WorkerControl {
  /** Resolves to Baton's answer, when there is one to read (over a topic there is none). */
  register(document: RegistrationDocument): Promise<RegistrationAnswer | void>;
  /**
   * Baton's broker, reply topic and exchange, which a broker transport must share (checked in
   * transports/broker-route.ts before it declares anything); undefined when Baton does not say.
   */
  brokerRoute?(): Promise<unknown>;
  reportPresence(report: PresenceReport): Promise<void>;
  /** Said on stop, so that READINESS=live reacts without waiting for the presence TTL. */
  leave(instanceId: string): Promise<void>;
}

export class HttpControl implements WorkerControl {
  constructor(private readonly client: BatonClient) {}

  private get base(): string {
    return `/api/workers/${encodeURIComponent(this.client.service)}`;
  }

  register(document: RegistrationDocument): Promise<RegistrationAnswer> {
    return this.client.request<RegistrationAnswer>('POST', '/api/orchestration/register', document);
  }

  async brokerRoute(): Promise<unknown> {
    try {
      return await this.client.request<unknown>('GET', `${this.base}/broker`);
    } catch (error) {
      if (error instanceof BatonHttpError && error.status === 404) return undefined; // a Baton from before the route
      throw error;
    }
  }

  async reportPresence(report: PresenceReport): Promise<void> {
    await this.client.request('POST', `${this.base}/presence`, report);
  }

  async leave(instanceId: string): Promise<void> {
    // stop() waits 5 s at most for the goodbye (Presence): the request must not outlive that and hold the process.
    await this.client.request('DELETE', `${this.base}/presence/${instanceId}`, undefined, { timeoutMs: 5000 });
  }
}
