import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_TIMEOUT_SECONDS, NAME_PATTERN, TOPIC_PATTERN,
} from '../document/registration-document.schema';

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

const NAME = { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: NAME_PATTERN.source };
const TEXT = { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: '\\S' };
const RETRY = {
  type: 'object', additionalProperties: false, required: ['maxAttempts'],
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 100 }, backoff: { type: 'string', enum: ['fixed', 'exponential'] },
    initialDelaySeconds: { type: 'number', minimum: 0 }, maxDelaySeconds: { type: 'number', minimum: 0 },
  },
};

/*
 * The document's shape, as exact as JSON Schema allows. Rules that relate values (step names
 * unique within a document, maxDelaySeconds >= initialDelaySeconds, one AWX template id) are
 * checked by the validator and reported as 400 INVALID_DOCUMENT; JSON Schema cannot say them.
 */
export const REGISTRATION_BODY_SCHEMA = {
  description: 'An initiator or worker registration document, as JSON or YAML',
  schema: {
    oneOf: [
      {
        type: 'object', title: 'initiator', additionalProperties: false, required: ['orchName', 'as', 'type', 'steps'],
        properties: {
          orchName: { ...NAME, example: 'tenantCreation' },
          as: { type: 'string', enum: ['initiator'] },
          type: { type: 'string', enum: ['sequential', 'parallel', 'simultaneous'] },
          description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH, nullable: true },
          service: { ...TEXT, nullable: true, description: 'Service name when no X-Service-Name header is sent' },
          steps: {
            type: 'array', minItems: 1,
            items: {
              type: 'object', additionalProperties: false, required: ['seq', 'name', 'objectType'],
              properties: {
                seq: { type: 'integer', minimum: 1, description: 'Order; steps sharing a seq run together (sequential)' },
                name: NAME,
                objectType: TEXT,
                timeoutSeconds: { type: 'integer', minimum: 1, maximum: MAX_TIMEOUT_SECONDS, nullable: true },
                retry: { ...RETRY, nullable: true },
                handler: { description: '`worker` (default) or a built-in handler: {type: awx|oo, ...}' },
                undo: { description: 'true/false, or a built-in undo handler' },
              },
            },
          },
        },
      },
      {
        type: 'object', title: 'worker', additionalProperties: false, required: ['orchName', 'as', 'steps'],
        properties: {
          orchName: NAME,
          as: { type: 'string', enum: ['worker'] },
          service: { ...TEXT, nullable: true, description: 'Service name when no X-Service-Name header is sent' },
          topic: { type: 'string', pattern: TOPIC_PATTERN.source, nullable: true, description: 'The topic the worker consumes commands from' },
          steps: {
            type: 'array', minItems: 1,
            items: {
              type: 'object', additionalProperties: false, required: ['name', 'objectType'],
              properties: { seq: { type: 'integer', minimum: 0 }, name: NAME, objectType: TEXT },
            },
          },
        },
      },
    ],
  },
  examples: {
    initiator: { value: { orchName: 'tenantCreation', as: 'initiator', type: 'sequential', steps: [
      { seq: 1, name: 'createRealm', objectType: 'String' }, { seq: 2, name: 'createClient', objectType: 'String' }] } },
    worker: { value: { orchName: 'tenantCreation', as: 'worker', steps: [{ name: 'createRealm', objectType: 'String' }] } },
  },
};
