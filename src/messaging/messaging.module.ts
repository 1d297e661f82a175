import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { BrokerConnection } from './broker-connection';
import { DeliveryFailures } from './delivery/delivery-failures';
import { MessageConsumer } from './message-consumer';
import { MessagePublisher } from './message-publisher';
import { MessagingDriver } from './messaging-driver';
import { createMessagingDriver } from './messaging-driver.factory';
import { MessagingLifecycle } from './messaging-lifecycle';
import { DeliveryFailureStore } from './outbox/delivery-failure.store';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxService } from './outbox/outbox.service';
import { RelayPresence } from './outbox/relay-presence';
import { createRelayPresence } from './outbox/relay-presence.factory';

/** The broker (MESSAGING_DRIVER) behind the three ports, plus the outbox and inbox. */
@Global()
@Module({
  providers: [
    { provide: DeliveryFailures, useClass: DeliveryFailureStore },
    { provide: MessagingDriver, inject: [AppConfig, Metrics, DeliveryFailures], useFactory: createMessagingDriver },
    { provide: MessagePublisher, useExisting: MessagingDriver },
    { provide: MessageConsumer, useExisting: MessagingDriver },
    { provide: BrokerConnection, useExisting: MessagingDriver },
    OutboxService,
    { provide: RelayPresence, inject: [DataSource, AppConfig], useFactory: createRelayPresence },
    OutboxRelay,
    MessagingLifecycle,
  ],
  exports: [MessagePublisher, MessageConsumer, BrokerConnection, OutboxService, OutboxRelay, RelayPresence],
})
export class MessagingModule {}
