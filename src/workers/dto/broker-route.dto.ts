import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MESSAGING_DRIVERS } from '../../config/settings/messaging.settings';

export class BrokerRouteDto {
  @ApiProperty({ enum: MESSAGING_DRIVERS, description: 'memory: the in-process broker, which only the HTTP transport reaches from outside' })
  driver!: string;
  @ApiProperty({ example: 'orchestrator.reply', description: "Baton's TOPIC_REPLY: where workers send replies" }) replyTopic!: string;
  @ApiPropertyOptional({ example: 'baton', description: "On RabbitMQ, Baton's RABBITMQ_EXCHANGE" }) exchange?: string;
}
