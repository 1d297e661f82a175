import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../role';

export class PrincipalDto {
  @ApiProperty({ description: "The key's prefix, `jwt:<subject>`, or `anonymous`" }) id!: string;
  @ApiProperty({ enum: ['api-key', 'jwt', 'anonymous'] }) kind!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'The proven service name of a service principal' }) service!: string | null;
}
