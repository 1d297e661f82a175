import * as net from 'node:net';
import * as tls from 'node:tls';
import type { KafkaSocketFactory } from './kafka-shapes';

/**
 * kafkajs's own socket factory plus `setNoDelay(true)`. kafkajs never sets it, and with Nagle on
 * a small produce or offset commit that follows another request on the same connection waits for
 * that request's delayed ACK. Baton's own Kafka driver uses this factory too.
 */
export const noDelaySocketFactory: KafkaSocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, 60_000);
  socket.setNoDelay(true);
  return socket;
};
