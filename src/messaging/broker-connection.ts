/** Port: the driver's connection lifecycle, for startup, shutdown and health. */
export abstract class BrokerConnection {
  abstract readonly driver: string;
  abstract connect(): Promise<void>;
  abstract close(): Promise<void>;
  abstract isConnected(): boolean;
}
