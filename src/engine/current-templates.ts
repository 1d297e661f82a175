import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { OrchestrationTemplateEntity } from '../registry/entities/orchestration-template.entity';
import { RegistrationEvents } from '../registry/registration-events';
import { TemplateRepository } from '../registry/template.repository';

/**
 * Each template's current version and readiness, so that starting a run needs no read. A run's
 * insert is guarded by the version and status it was planned on (RunRepository.create), so a
 * stale entry (another instance registered a new version) costs one retry, never a wrong run.
 * Registrations applied in this process drop their template's entry at once.
 */
@Injectable()
export class CurrentTemplates implements OnModuleDestroy {
  private readonly cache = new Map<string, OrchestrationTemplateEntity>();
  private readonly subscription: Subscription;

  constructor(private readonly templates: TemplateRepository, events: RegistrationEvents) {
    this.subscription = events.applied$.subscribe((r) => this.cache.delete(r.orchName));
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  /** Unknown templates are not cached: another instance may register one at any moment. */
  async get(orchName: string): Promise<OrchestrationTemplateEntity | null> {
    const cached = this.cache.get(orchName);
    if (cached) return cached;
    const template = await this.templates.findByName(orchName);
    if (template) this.cache.set(orchName, template);
    return template;
  }

  forget(orchName: string): void {
    this.cache.delete(orchName);
  }
}
