import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ADMIN, setup } from './api-key.service.fixtures';

/** What a key may not be issued as, whether asked through the API's DTO or by `npm run keys`, which has none. */
describe('ApiKeyService.issue refusals', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('refuses to issue a key that has expired already', async () => {
    const { service } = setup();
    await expect(service.issue({ name: 'late', role: 'viewer', expiresAt: new Date(Date.now() - 1000) }, ADMIN))
      .rejects.toMatchObject({ code: 'INVALID_REQUEST', problems: [{ path: 'expiresAt', message: 'must be in the future' }] });
  });

  it('refuses a name that holds a whole API key, which the list and the audit would show every admin', async () => {
    const { service, audit } = setup();
    const pasted = `bk_pasted12_${'s'.repeat(43)}`;
    await expect(service.issue({ name: `for ${pasted}`, role: 'viewer' }, ADMIN)).rejects.toMatchObject({
      code: 'INVALID_REQUEST', problems: [{ path: 'name', message: expect.stringContaining('must not hold an API key') }],
    });
    expect(audit.record).not.toHaveBeenCalled();
    await service.issue({ name: 'bk_ci-key', role: 'viewer' }, ADMIN); // a name that merely starts like one is fine
  });

  it('refuses a name that holds a JWT, saying so', async () => {
    const { service, audit } = setup();
    await expect(service.issue({ name: 'for eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', role: 'viewer' }, ADMIN)).rejects.toMatchObject({
      code: 'INVALID_REQUEST', message: 'The key name holds a JWT', problems: [{ path: 'name', message: 'must not hold a JWT: say what the key is for' }],
    });
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('refuses a name with control characters or marks that reorder text, as `npm run keys` would send it past the DTO', async () => {
    const { service, audit } = setup();
    for (const name of ['phone \u202Egnp.exe', 'tab\there', '\u2067isolate', 'zero\u200Bwidth', 'line\u2028break', '\uFEFFbom']) {
      await expect(service.issue({ name, role: 'viewer' }, ADMIN)).rejects.toMatchObject({
        code: 'INVALID_REQUEST', problems: [{ path: 'name', message: expect.stringContaining('must not contain control characters or invisible ones') }],
      });
    }
    for (const name of ['', 'n'.repeat(101)]) {
      await expect(service.issue({ name, role: 'viewer' }, ADMIN)).rejects.toMatchObject({ problems: [{ path: 'name', message: 'must be 1 to 100 characters' }] });
    }
    expect(audit.record).not.toHaveBeenCalled();
    await service.issue({ name: 'téléphone – 電話', role: 'viewer' }, ADMIN);
  });

  it('refuses a service name no command topic can carry, as the DTO does: `npm run keys` sends it past the DTO', async () => {
    const { service, audit } = setup();
    for (const name of ['team/x', 'a b', '-lead', 's'.repeat(201)]) {
      await expect(service.issue({ name: 'n', role: 'service', service: name }, { by: 'cli' })).rejects.toMatchObject({
        code: 'INVALID_REQUEST', problems: [{ path: 'service', message: expect.stringMatching(/^service must start with a letter or digit/) }],
      });
    }
    expect(audit.record).not.toHaveBeenCalled();
    await service.issue({ name: 'n', role: 'service', service: 'shop.v2_x-1' }, { by: 'cli' });
  });

  it("refuses a service whose command topic no worker may register: svc-a.DLQ's pollers would read svc-a's dead letters", async () => {
    const { service, audit } = setup();
    await expect(service.issue({ name: 'n', role: 'service', service: 'svc-a.DLQ' }, { by: 'cli' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST', problems: [{ path: 'service',
        message: 'its command topic orchestrator.commands.svc-a.DLQ is a dead-letter or internal topic of Baton' }],
    });
    expect(audit.record).not.toHaveBeenCalled();
    await service.issue({ name: 'n', role: 'service', service: 'svc-a.DLQ2' }, { by: 'cli' });
  });

  it("refuses a service named in Baton's own consumer groups (CONSUMER_GROUP, baton-engine unset): its pollers would join Baton's consumers", async () => {
    const { service, audit } = setup();
    for (const name of ['baton-engine', 'baton-engine.orchestrator.reply']) {
      await expect(service.issue({ name: 'n', role: 'service', service: name }, { by: 'cli' })).rejects.toMatchObject({
        code: 'INVALID_REQUEST', message: `No key can prove service ${name}`,
        problems: [{ path: 'service', message: "must not be baton-engine or start with baton-engine.: Baton's own consumer groups" }],
      });
    }
    expect(audit.record).not.toHaveBeenCalled();
    await service.issue({ name: 'n', role: 'service', service: 'baton-engines' }, { by: 'cli' });
  });
});
