import {
  BeforeApplicationShutdown, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { brokerStartError } from './broker-start-error';
import { MessagingDriver } from './messaging-driver';
import { OutboxRelay } from './outbox/outbox-relay.service';

/**
 * Start and shutdown order in one place. Up: connect (consumers may subscribe from their own
 * onModuleInit: the drivers wait for this connection), then start the relay once everything is up.
 * Down: stop the consumers first (running handlers finish, and may still hand rows to the relay),
 * then the relay (waits at most STOP_WAIT_MS for its pass, flushes marks), and only then, after
 * every module's beforeApplicationShutdown, close the connection.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(private readonly driver: MessagingDriver, private readonly relay: OutboxRelay, private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    try {
      await this.driver.connect();
    } catch (error) {
      // Named for the broker and its variable: the client's own message names neither.
      throw brokerStartError(this.config, error);
    }
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.driver.shuttingDown();
    await this.driver.stopAll();
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }
}
