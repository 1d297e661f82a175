import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { RegistrationResult } from './registry.service';

/**
 * Announces applied registrations inside this process, so that the engine can drop cached worker
 * choices and start runs parked for a template that just became READY without waiting for the healer.
 */
@Injectable()
export class RegistrationEvents {
  private readonly subject = new Subject<RegistrationResult>();
  readonly applied$ = this.subject.asObservable();

  emitted(result: RegistrationResult): void {
    this.subject.next(result);
  }
}
