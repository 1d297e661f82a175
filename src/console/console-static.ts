import { INestApplication, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
// For its types: the reply's sendFile, which useStaticAssets below adds.
import type {} from '@fastify/static';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CONSOLE_PATH = '/ui';
const ASSETS_FOLDER = new RegExp(`^${CONSOLE_PATH}/assets/?(\\?|$)`);

/**
 * Only the console's own code may run in its page: it talks to this origin's API (and to the
 * identity provider, for the OIDC sign-in) and nothing else, and no other site may frame it.
 */
const csp = (connect: string[]) => `default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src ${["'self'", ...connect].join(' ')}; `
  + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** Whether `npm run build` has written the console into `dir`. */
export function consoleBuilt(dir: string): boolean {
  return existsSync(join(resolve(dir), 'index.html'));
}

/**
 * Serves the built console at /ui, outside Nest's router: the files are public (the API calls
 * they make carry the credentials). Every other path under /ui answers index.html, so deep
 * links such as /ui/runs/{flowId} load the app, which routes them in the browser.
 */
export function mountConsole(nest: INestApplication, dir: string, identityProviderOrigins: string[]): void {
  const app = nest as NestFastifyApplication;
  const policy = csp(identityProviderOrigins);
  const root = resolve(dir);
  if (!consoleBuilt(root)) new Logger('Console').warn(`No console build in ${root}: /ui answers 503 until \`npm run build\` runs`);
  // File names carry a content hash: cache them for good; a missing one is a plain 404, not the app.
  app.useStaticAssets({ root: join(root, 'assets'), prefix: `${CONSOLE_PATH}/assets/`, immutable: true, maxAge: '1y', index: false, redirect: false });
  const page = (req: FastifyRequest, reply: FastifyReply) => {
    // The assets folder itself names no file: a 404 like a missing asset, not the app.
    if (ASSETS_FOLDER.test(req.url)) return reply.callNotFound();
    reply.header('Content-Security-Policy', policy).header('X-Content-Type-Options', 'nosniff');
    // Looked up on each load (one stat), not once at start: a rebuild empties the folder for a moment.
    if (!consoleBuilt(root)) return reply.code(503).type('text/plain').send('The console is not built: run `npm run build`, then restart Baton.');
    // Revalidated on every load, so a new build shows at once.
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  };
  const http = app.getHttpAdapter().getInstance();
  http.get(CONSOLE_PATH, page);
  http.get(`${CONSOLE_PATH}/*`, page);
  // The start line names the bare address: opened in a browser, it leads to the console, not to a JSON 404.
  http.get('/', (_req: FastifyRequest, reply: FastifyReply) => reply.redirect(`${CONSOLE_PATH}/`, 302));
}
