import * as net from 'node:net';
import * as tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

/**
 * kafkajs's own socket factory plus `setNoDelay(true)`: kafkajs never sets it, and with Nagle on
 * a small request (a produce, an offset commit, a heartbeat) sent while another is unanswered on
 * the same connection waits for the peer's delayed ACK, tens of milliseconds on Linux.
 */
export const noDelaySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, 60_000);
  socket.setNoDelay(true);
  return socket;
};
