import { ApiKeyEntity } from '../auth/api-keys/api-key.entity';
import { SecurityAuditEntity } from '../auth/audit/security-audit.entity';
import { OrchestrationRunEntity } from '../engine/entities/orchestration-run.entity';
import { RunEventEntity } from '../engine/entities/run-event.entity';
import { StepRunEntity } from '../engine/entities/step-run.entity';
import { JobExecutionEntity } from '../handlers/job-execution.entity';
import { DeliveryFailureEntity } from '../messaging/outbox/delivery-failure.entity';
import { InboxMessageEntity } from '../messaging/outbox/inbox-message.entity';
import { OutboxMessageEntity } from '../messaging/outbox/outbox-message.entity';
import { OutboxRelayEntity } from '../messaging/outbox/outbox-relay.entity';
import { OrchestrationTemplateEntity } from '../registry/entities/orchestration-template.entity';
import { RegistrationAuditEntity } from '../registry/entities/registration-audit.entity';
import { StepTemplateEntity } from '../registry/entities/step-template.entity';
import { TemplateVersionEntity } from '../registry/entities/template-version.entity';
import { WorkerRegistrationEntity } from '../registry/entities/worker-registration.entity';
import { WorkerInstanceEntity } from '../workers/worker-instance.entity';

export const ENTITIES = [
  OrchestrationTemplateEntity, TemplateVersionEntity, StepTemplateEntity, WorkerRegistrationEntity,
  RegistrationAuditEntity, OrchestrationRunEntity, StepRunEntity, RunEventEntity,
  OutboxMessageEntity, InboxMessageEntity, JobExecutionEntity, ApiKeyEntity, SecurityAuditEntity, WorkerInstanceEntity,
  DeliveryFailureEntity, OutboxRelayEntity,
];
