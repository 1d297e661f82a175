import { IsInt, IsString, Max, Min } from 'class-validator';

/** Where Baton listens and what it serves besides the API. */
export class ServerSettings {
  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  /** Loopback by default: AUTH_MODE=off is allowed only there. */
  @IsString()
  HOST: string = '127.0.0.1';

  /** Maximum HTTP request body, in bytes. */
  @IsInt() @Min(1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /** The built operator console, served at /ui (`npm run build` writes it). */
  @IsString()
  CONSOLE_DIR: string = './ui/dist';
}
