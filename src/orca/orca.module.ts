import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module';
import { HandlersModule } from '../handlers/handlers.module';
import { RegistryModule } from '../registry/registry.module';
import { OrcaRefusals } from './orca-refusals';
import { OrcaRequestConsumer } from './orca-request.consumer';
import { OrcaStatusEvents } from './orca-status-events';

/**
 * The Orca execution service drop-in (ORCA_COMPAT=true; idle otherwise): RequestCreatedEvent
 * in, RequestStatusUpdatedEvent out. The job-execution endpoints serve Orca's fields always
 * (src/handlers/dto/job-execution.dto.ts).
 */
@Module({
  imports: [RegistryModule, EngineModule, HandlersModule],
  providers: [OrcaRequestConsumer, OrcaStatusEvents, OrcaRefusals],
})
export class OrcaModule {}
