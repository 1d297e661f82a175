import { detectFormat, isJsonContentType, isYamlContentType } from './content-type';

describe('isYamlContentType', () => {
  it.each(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'Application/YAML; charset=utf-8', ' text/yaml ;q=1'])(
    'accepts %s',
    (ct) => expect(isYamlContentType(ct)).toBe(true),
  );

  it.each([undefined, '', 'application/json', 'text/plain', 'application/yaml-patch', 'yaml'])('rejects %s', (ct) => {
    expect(isYamlContentType(ct)).toBe(false);
  });
});

describe('isJsonContentType', () => {
  it('accepts JSON and +json types, parameters ignored', () => {
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/vnd.baton+json')).toBe(true);
    expect(isJsonContentType('text/json')).toBe(true);
    expect(isJsonContentType('application/yaml')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});

describe('detectFormat', () => {
  it('follows a declared type even when the text looks like the other format', () => {
    expect(detectFormat('{"a": 1}', 'application/yaml')).toBe('yaml');
    expect(detectFormat('a: 1', 'application/json')).toBe('json');
  });

  it('sniffs without a known type: a leading { means JSON, anything else YAML', () => {
    expect(detectFormat('  \n{"a": 1}', undefined)).toBe('json');
    expect(detectFormat('a: 1', 'text/plain')).toBe('yaml');
    expect(detectFormat('[1, 2]', undefined)).toBe('yaml');
  });
});
