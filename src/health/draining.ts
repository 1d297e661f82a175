import { Injectable } from '@nestjs/common';

/**
 * Whether Baton is draining before it stops: health answers 503 so that load balancers stop
 * sending it requests, while every other route and the engine keep working (GracefulStop).
 */
@Injectable()
export class Draining {
  private started = false;

  start(): void {
    this.started = true;
  }

  get active(): boolean {
    return this.started;
  }
}
