import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { RegistrationEvents } from '../registry/registration-events';
import { TemplateRepository } from '../registry/template.repository';
import { WorkerRegistrationEntity } from '../registry/entities/worker-registration.entity';
import { chooseWorker } from './core/choose-worker';

/** Registrations made by another engine instance become visible here within this time. */
const TTL_MS = 5_000;

/**
 * Which topic a step's commands go to. Cached per template, dropped at once when this process
 * applies a registration for it.
 */
@Injectable()
export class WorkerDirectory implements OnModuleDestroy {
  private readonly cache = new Map<string, { at: number; workers: WorkerRegistrationEntity[] }>();
  private readonly subscription: Subscription;

  constructor(private readonly templates: TemplateRepository, events: RegistrationEvents) {
    this.subscription = events.applied$.subscribe((r) => this.cache.delete(r.orchName));
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  async topicFor(orchName: string, stepName: string, objectType: string): Promise<string | undefined> {
    let entry = this.cache.get(orchName);
    if (!entry || Date.now() - entry.at > TTL_MS) {
      entry = { at: Date.now(), workers: await this.templates.workersOf(orchName) };
      this.cache.set(orchName, entry);
    }
    return chooseWorker(entry.workers.filter((w) => w.stepName === stepName), objectType)?.topic;
  }
}
