import { registrationDocumentJsonSchema } from '../document/registration-json-schema';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RegistrationResultDto {
  @ApiProperty({ example: 'tenantCreation' }) orchName!: string;
  @ApiProperty({ enum: ['initiator', 'worker'] }) role!: string;
  @ApiProperty({ enum: ['CREATED', 'UPDATED', 'UNCHANGED'], description: 'UPDATED: a new template version was created' })
  outcome!: string;
  @ApiProperty({ example: 'tenant-service' }) serviceName!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Current template version; null if the template is not registered yet' })
  version!: number | null;
  @ApiProperty({ nullable: true, enum: ['READY', 'PENDING'] }) status!: string | null;
  @ApiProperty({ type: [String], description: 'Steps that still need a registered worker' }) missingSteps!: string[];
  @ApiPropertyOptional({ type: [String], description: 'Worker steps the template does not have (kept for later versions)' })
  unknownSteps?: string[];
  @ApiPropertyOptional({ type: [String], description: "Worker steps another service's earlier registration serves: this one gets their commands only once that one is removed" })
  stepsServedByOthers?: string[];
}

/** For JSON; YAML bodies are documented as text (see registration-openapi.ts). */
export const REGISTRATION_BODY_SCHEMA = {
  description: 'An initiator or worker registration document, as JSON or YAML',
  schema: registrationDocumentJsonSchema({ summarizeHttp: true }),
  examples: {
    initiator: { value: { orchName: 'tenantCreation', as: 'initiator', type: 'sequential', steps: [
      { seq: 1, name: 'createRealm', objectType: 'String' }, { seq: 2, name: 'createClient', objectType: 'String' }] } },
    worker: { value: { orchName: 'tenantCreation', as: 'worker', steps: [{ name: 'createRealm', objectType: 'String' }] } },
  },
};
