import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { BoundedValidationPipe } from '../../common/validation/bounded-validation.pipe';
import { PresenceDto } from './presence.dto';

describe("A worker instance's presence", () => {
  const pipe = new BoundedValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
  const problemsOf = (fields: Partial<PresenceDto>) => pipe.transform({ instanceId: randomUUID(), host: 'pod-7', sdkVersion: '1.4.0', steps: [], ...fields },
    { type: 'body', metatype: PresenceDto }).then(() => [], (e: AppError) => e.problems);

  it("refuses a host or SDK version that would hide or reorder text on the console's Workers page", async () => {
    for (const text of ['pod\u202E7-dop', 'pod\n7', 'pod\u200B7', '\u0007bell']) {
      await expect(problemsOf({ host: text, sdkVersion: text })).resolves.toEqual([
        { path: 'body.host', message: expect.stringMatching(/^host must not contain control characters or invisible ones/) },
        { path: 'body.sdkVersion', message: expect.stringMatching(/^sdkVersion must not contain control characters or invisible ones/) },
      ]);
    }
    await expect(problemsOf({ host: 'ordinateur-é.example', sdkVersion: '1.4.0-rc.1+build 7' })).resolves.toEqual([]);
  });
});
