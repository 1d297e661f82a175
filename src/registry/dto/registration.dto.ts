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
}

export const REGISTRATION_BODY_SCHEMA = {
  description: 'An initiator or worker registration document, as JSON or YAML',
  schema: {
    type: 'object',
    required: ['orchName', 'as', 'steps'],
    properties: {
      orchName: { type: 'string', example: 'tenantCreation' },
      as: { type: 'string', enum: ['initiator', 'worker'] },
      type: { type: 'string', enum: ['sequential', 'parallel', 'simultaneous', 'dag'], description: 'Initiators only' },
      description: { type: 'string' },
      service: { type: 'string', description: 'Service name when no X-Service-Name header is sent' },
      topic: { type: 'string', description: 'Workers only: the topic the worker consumes commands from' },
      steps: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'objectType'],
          properties: {
            seq: { type: 'integer', description: 'Initiators: order; steps sharing a seq run together (optional in a dag)' },
            name: { type: 'string' },
            objectType: { type: 'string' },
            timeoutSeconds: { type: 'integer' },
            heartbeatSeconds: {
              type: 'integer', minimum: 1,
              description: 'Worker steps: an attempt times out when no heartbeat came for this long (at most timeoutSeconds)',
            },
            retry: {
              type: 'object',
              properties: {
                maxAttempts: { type: 'integer' }, backoff: { type: 'string', enum: ['fixed', 'exponential'] },
                initialDelaySeconds: { type: 'number' }, maxDelaySeconds: { type: 'number' },
              },
            },
            handler: { description: '`worker` (default) or a built-in handler: {type: awx|oo, ...}' },
            undo: { description: 'true/false, or a built-in undo handler' },
            dependsOn: { type: 'array', items: { type: 'string' }, description: 'dag: the steps that must succeed before this one starts' },
            onFailure: { type: 'string', enum: ['compensate', 'pause'], description: 'pause: a failed step waits for an operator' },
          },
        },
      },
    },
  },
  examples: {
    initiator: { value: { orchName: 'tenantCreation', as: 'initiator', type: 'sequential', steps: [
      { seq: 1, name: 'createRealm', objectType: 'String' }, { seq: 2, name: 'createClient', objectType: 'String' }] } },
    worker: { value: { orchName: 'tenantCreation', as: 'worker', steps: [{ name: 'createRealm', objectType: 'String' }] } },
  },
};
