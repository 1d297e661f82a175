// `npm run keys -- create|list|revoke`: see keys-command.ts.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { runKeysCommand } from './keys-command';

/** A refusal's problems name the API's fields; the CLI's flags for them. */
const FLAG_OF: Record<string, string> = { expiresAt: 'expires' };

Logger.overrideLogger(['error']);
runKeysCommand(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).catch((e: Error) => {
  const problems = e instanceof AppError ? e.problems.map((p) => `  --${FLAG_OF[p.path] ?? p.path} ${p.message}\n`) : [];
  process.stderr.write(`${e.message}\n${problems.join('')}`);
  process.exit(1);
});
