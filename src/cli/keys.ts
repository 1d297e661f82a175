// `npm run keys -- create|list|revoke`: see keys-command.ts.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runKeysCommand } from './keys-command';

Logger.overrideLogger(['error']);
runKeysCommand(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
