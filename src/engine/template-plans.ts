import { Injectable } from '@nestjs/common';
import type { StepTemplateEntity } from '../registry/entities/step-template.entity';
import { TemplateRepository } from '../registry/template.repository';
import type { OnDeadline } from './core/deadline-action';
import type { Plan } from './core/plan';

export interface LoadedPlan {
  plan: Plan;
  steps: Map<string, StepTemplateEntity>;
  /** The version's default run deadline (none when null), and what passing any deadline of its runs does. */
  deadline: { seconds: number | null; onDeadline: OnDeadline };
  /** The service that owns the template: what a built-in step's connection is checked against at launch. */
  ownerService: string;
}

/**
 * Template versions never change once written, so each is read from the database once per
 * process and then served from memory on every transition.
 */
@Injectable()
export class TemplatePlans {
  private readonly cache = new Map<string, Promise<LoadedPlan>>();

  constructor(private readonly templates: TemplateRepository) {}

  get(templateId: string, version: number): Promise<LoadedPlan> {
    const key = `${templateId}:${version}`;
    let loaded = this.cache.get(key);
    if (!loaded) {
      loaded = this.load(templateId, version);
      this.cache.set(key, loaded);
      loaded.catch(() => this.cache.delete(key));
    }
    return loaded;
  }

  private async load(templateId: string, version: number): Promise<LoadedPlan> {
    const { type, deadlineSeconds, onDeadline, registeredBy } = await this.templates.runSettingsOf(templateId, version);
    const steps = await this.templates.stepsOf(templateId, version);
    return {
      plan: {
        type,
        // An http step spends its retry policy on its calls (never on a 4xx): the engine must not retry it again.
        steps: steps.map((s) => ({
          name: s.name, seq: s.seq, undoable: s.undo !== false, retry: s.handler.type === 'http' ? null : s.retry,
          onFailure: s.onFailure, builtIn: s.handler.type !== 'worker',
          dependsOn: s.dependsOn ?? [],
        })),
      },
      steps: new Map(steps.map((s) => [s.name, s])),
      deadline: { seconds: deadlineSeconds, onDeadline: onDeadline ?? 'compensate' },
      ownerService: registeredBy,
    };
  }
}
