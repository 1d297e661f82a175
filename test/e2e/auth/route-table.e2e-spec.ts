import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { Access, ACCESS_METADATA } from '../../../src/auth/access.decorator';
import { PUBLIC_WHEN_METADATA } from '../../../src/auth/public-when.decorator';
import { ROLES, Role } from '../../../src/auth/role';
import { authOn, bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { startTestApp, TestApp } from '../../helpers/test-app';

interface Route {
  method: string;
  path: string;
  access: Access | undefined;
  /** Public when the configuration says so (`@PublicWhen`). */
  publicWhen: boolean;
}

/** Every controller route, read from Nest's own discovery: its method, full path and declared access. */
function controllerRoutes(t: TestApp): Route[] {
  const discovery = new DiscoveryService(t.get(ModulesContainer));
  const scanner = new MetadataScanner();
  return discovery.getControllers().flatMap((wrapper) => {
    const type = wrapper.metatype as new () => object;
    const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
    return scanner.getAllMethodNames(type.prototype).flatMap((name) => {
      const handler = (type.prototype as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const access = (Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, type)) as Access | undefined;
      const full = `/${[base, path].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
      const publicWhen = Reflect.getMetadata(PUBLIC_WHEN_METADATA, handler) !== undefined || Reflect.getMetadata(PUBLIC_WHEN_METADATA, type) !== undefined;
      return [{ method, path: full, access, publicWhen }];
    });
  });
}

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
const SERVICE = 'route-table-service';
// `:service` names the caller's own service (a service key acts only for itself); a long poll must not wait.
const urlOf = (route: Route) => route.path.replace(':service', SERVICE).replace(/:[A-Za-z]+/g, SAMPLE_ID)
  + (route.path.endsWith('/commands') ? '?wait=0' : '');
/** Swagger UI and the OpenAPI JSON, and the console's files (public): not controller routes. */
const NOT_CONTROLLERS = /^\/(swagger-ui\.html|docs|v3\/api-docs|docs-json|ui($|\/))/;

describe('route table: every route declares its access, and the guard enforces it (AUTH_MODE=on)', () => {
  const admin = newAdminKey();
  let t: TestApp;
  let routes: Route[];
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp(authOn(admin));
    routes = controllerRoutes(t);
    keys.admin = admin;
    for (const role of ROLES.filter((r) => r !== 'admin')) keys[role] = await issueKey(t, admin, role, role === 'service' ? SERVICE : undefined);
  }, 120_000);
  afterAll(() => t.close());

  const call = (route: Route, headers: Record<string, string> = {}) =>
    t.http[route.method.toLowerCase() as 'get'](urlOf(route)).set(headers);

  it('finds every route the server has', () => {
    const discovered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const served = t.routes.filter((r) => !NOT_CONTROLLERS.test(r.split(' ')[1]));
    expect(served.filter((r) => !discovered.has(r))).toEqual([]);
    expect(served.length).toBeGreaterThanOrEqual(17);
    // And the other way: discovery names no route the server does not have (a path spelt differently).
    expect([...discovered].filter((r) => !served.includes(r))).toEqual([]);
  });

  it('every route declares @Roles(...) or @Public()', () => {
    expect(routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('only the public list is public', () => {
    expect(routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/auth/console-config', 'GET /api/orchestration/health/live', 'GET /api/orchestration/health']);
  });

  it('no route that can be public takes a body: AccessGuard refuses a body without a credential before reading it', () => {
    const mayBePublic = routes.filter((r) => r.access === 'public' || r.publicWhen);
    expect(mayBePublic.map((r) => r.path)).toContain('/metrics');
    expect(mayBePublic.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('without credentials every route but the public ones answers 401 with WWW-Authenticate', async () => {
    for (const route of routes) {
      const res = await call(route);
      if (route.access === 'public') {
        expect([route.path, res.status]).not.toEqual([route.path, 401]);
      } else {
        expect([route.path, res.status, res.body.code]).toEqual([route.path, 401, 'UNAUTHENTICATED']);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
  });

  it('with a wrong role 403, with the right role (or admin) neither 401 nor 403', async () => {
    for (const route of routes.filter((r) => r.access !== 'public' && r.access !== undefined)) {
      const allowed = route.access as readonly Role[];
      const wrong = ROLES.find((r) => r !== 'admin' && !allowed.includes(r));
      if (wrong) {
        const res = await call(route, bearer(keys[wrong]));
        expect([route.path, wrong, res.status, res.body.code]).toEqual([route.path, wrong, 403, 'FORBIDDEN']);
      }
      for (const role of new Set<Role>([allowed[0], 'admin'])) {
        const res = await call(route, bearer(keys[role]));
        expect([route.path, role, [401, 403].includes(res.status)]).toEqual([route.path, role, false]);
      }
    }
  });

  it("refuses a service key on another service's worker routes, and audits it", async () => {
    const res = await t.http.get('/api/workers/someone-else/commands?wait=0').set(bearer(keys.service)).expect(403);
    expect(res.body.code).toBe('SERVICE_NAME_MISMATCH');
    await t.http.get(`/api/workers/${SERVICE}/commands?wait=0`).set(bearer(keys.service)).expect(200);
    const audit = await t.http.get('/api/admin/security-audit?event=DENIED').set(bearer(admin)).expect(200);
    expect(audit.body.items.some((row: { code: string; target: string }) =>
      row.code === 'SERVICE_NAME_MISMATCH' && row.target === 'GET /api/workers/someone-else/commands')).toBe(true);
  });

  it('lets a service key read its own templates and runs: the read routes declare role service', () => {
    const reads = ['GET /api/orchestration/runs', 'GET /api/orchestration/runs/:flowId',
      'GET /api/orchestration/templates', 'GET /api/orchestration/templates/:orchName'];
    const declared = routes.filter((r) => reads.includes(`${r.method} ${r.path}`));
    expect(declared.map((r) => [`${r.method} ${r.path}`, (r.access as Role[]).includes('service')]).sort())
      .toEqual(reads.map((r) => [r, true]).sort());
  });

  it('serves the API docs without credentials', async () => {
    const doc = await t.http.get('/v3/api-docs').expect(200);
    await t.http.get('/swagger-ui.html').expect(200);
    // The registration body: the validator's JSON Schema for JSON, text for YAML.
    const content = doc.body.paths['/api/orchestration/register'].post.requestBody.content;
    expect(content['application/json'].schema.oneOf.map((s: { title: string }) => s.title)).toEqual(['initiator document', 'worker document']);
    expect(content['text/yaml'].schema).toMatchObject({ type: 'string' });
  });
});
