import type { PresenceReport, RegistrationDocument, WorkerControl } from '@baton/worker';
import type { MessagePublisher } from '../messaging/message-publisher';
import type { WorkerPresence } from './worker-presence.service';

/**
 * Registration and presence for a worker that runs inside Baton's process: it registers over the
 * registration topic, as an external worker on a broker may, and records its presence directly,
 * so READINESS=live sees it like any other instance.
 */
export class InProcessControl implements WorkerControl {
  constructor(
    private readonly service: string,
    private readonly publisher: MessagePublisher,
    private readonly registrationTopic: string,
    private readonly presence: WorkerPresence,
  ) {}

  async register(document: RegistrationDocument): Promise<void> {
    await this.publisher.publish([{
      topic: this.registrationTopic, key: document.orchName, body: Buffer.from(JSON.stringify(document)),
      headers: { 'content-type': 'application/json', 'x-service-name': this.service },
    }]);
  }

  reportPresence(report: PresenceReport): Promise<void> {
    return this.presence.beat(this.service, report);
  }

  leave(instanceId: string): Promise<void> {
    return this.presence.leave(this.service, instanceId);
  }
}
