import { ParseUuidPipe } from './parse-uuid.pipe';

describe('ParseUuidPipe', () => {
  const pipe = new ParseUuidPipe();

  it('takes a UUID of any version, in either case', () => {
    for (const id of ['0b7e9c8a-2f4d-4c1e-9a3b-5d6e7f8a9b0c', '0B7E9C8A-2F4D-1C1E-9A3B-5D6E7F8A9B0C']) {
      expect(pipe.transform(id, { type: 'param', data: 'flowId' })).toBe(id);
    }
  });

  it('refuses anything else with a 400 naming the parameter', () => {
    for (const id of ['not-a-uuid', '', '0b7e9c8a-2f4d-4c1e-9a3b-5d6e7f8a9b0c ', '0b7e9c8a2f4d4c1e9a3b5d6e7f8a9b0c']) {
      expect(() => pipe.transform(id, { type: 'param', data: 'flowId' }))
        .toThrow(expect.objectContaining({ code: 'INVALID_REQUEST', problems: [{ path: 'params.flowId', message: 'must be a UUID' }] }));
    }
  });
});
