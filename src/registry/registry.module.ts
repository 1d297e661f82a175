import { Module } from '@nestjs/common';
import { CommandRetention } from './command-retention';
import { DefinitionsLoader } from './definitions-loader.service';
import { RegistrationAuditRepository } from './registration-audit.repository';
import { RegistrationConsumer } from './registration.consumer';
import { RegistrationEvents } from './registration-events';
import { RegistryQueryService } from './registry-query.service';
import { RegistryController } from './registry.controller';
import { RegistryService } from './registry.service';
import { TemplateRepository } from './template.repository';
import { WorkerAccessSweep } from './worker-access-sweep.service';
import { WorkerInUse } from './worker-in-use';
import { WorkerRegistrar } from './worker-registrar.service';
import { WorkerRemovalService } from './worker-removal.service';

@Module({
  controllers: [RegistryController],
  providers: [
    RegistryService, RegistryQueryService, TemplateRepository, RegistrationAuditRepository, RegistrationEvents,
    DefinitionsLoader, RegistrationConsumer, WorkerRemovalService, WorkerAccessSweep, CommandRetention,
    WorkerInUse, WorkerRegistrar,
  ],
  exports: [RegistryService, TemplateRepository, RegistrationEvents, RegistrationAuditRepository],
})
export class RegistryModule {}
