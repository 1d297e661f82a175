import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { instanceIdOf } from '../instance-id';
import { OutboxStore } from './outbox-store';
import { RelayPresence } from './relay-presence';

/** This instance's presence, beating into the outbox's relay table under its INSTANCE_ID. */
export function createRelayPresence(dataSource: DataSource, config: AppConfig): RelayPresence {
  const store = new OutboxStore(dataSource);
  const relayId = instanceIdOf(config);
  return new RelayPresence((bootId) => store.beat(relayId, bootId), relayId, config.OUTBOX_POLL_MS,
    config.OUTBOX_PEER_TIMEOUT_MS, new Logger(RelayPresence.name));
}
