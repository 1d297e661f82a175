import { AppError } from '../../common/errors/app-error';
import { BoundedValidationPipe } from '../../common/validation/bounded-validation.pipe';
import { RunActionBodyDto, SkipActionBodyDto } from './run-action.dto';

describe("An operator action's reason", () => {
  const pipe = new BoundedValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
  const read = (body: object, metatype: typeof RunActionBodyDto = RunActionBodyDto) =>
    pipe.transform(body, { type: 'body', metatype }) as Promise<RunActionBodyDto>;
  const key = `bk_ab12CD34_${'s'.repeat(43)}`;

  it('keeps a whole API key pasted in it as its prefix only: viewers and the run\'s service read the reason', async () => {
    await expect(read({ reason: `rotated ${key} after the leak` })).resolves.toEqual({ reason: 'rotated bk_ab12CD34_… after the leak' });
    await expect(read({ reason: key, stepName: 'charge' }, SkipActionBodyDto)).resolves.toMatchObject({ reason: 'bk_ab12CD34_…' });
    await expect(read({ reason: 'bk_ab12CD34_short is a prefix only' })).resolves.toEqual({ reason: 'bk_ab12CD34_short is a prefix only' });
  });

  it('judges the length as sent: a reason too long stays refused though the cut would make it fit', async () => {
    await expect(read({ reason: `${'r'.repeat(1000 - key.length)}${key}` })).resolves.toEqual({ reason: `${'r'.repeat(1000 - key.length)}bk_ab12CD34_…` });
    await expect(read({ reason: `${'r'.repeat(1001 - key.length)}${key}` })).rejects.toMatchObject({
      problems: [{ path: 'body.reason', message: 'reason must be shorter than or equal to 1000 characters' }],
    });
  });

  it('refuses control characters and those that hide or reorder text, which the console would show as sent', async () => {
    for (const reason of ['line\nbreak', 'esc\u001b[31m', 'refund \u202Egnp.exe', 'zero\u200Bwidth', 'sep\u2028', '\u0085next']) {
      const problems = await read({ reason }).then(() => [], (e: AppError) => e.problems);
      expect(problems).toEqual([{ path: 'body.reason', message: expect.stringMatching(/^reason must not contain control characters or invisible ones/) }]);
    }
    await expect(read({ reason: 'téléphone – 電話 😀, "quoted"' })).resolves.toEqual({ reason: 'téléphone – 電話 😀, "quoted"' });
  });
});
