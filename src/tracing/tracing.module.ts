import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';

let stopSdk: (() => Promise<void>) | undefined;

/** main.ts hands over the SDK's stop function, so that spans still buffered are sent on shutdown. */
export function stopTracingOnShutdown(stop: () => Promise<void>): void {
  stopSdk = stop;
}

@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    const stop = stopSdk;
    stopSdk = undefined;
    await stop?.();
  }
}

/** The SDK's flush on shutdown. Spans themselves need no provider (see tracing.ts). */
@Module({ providers: [TracingShutdown] })
export class TracingModule {}
