const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

function mediaType(ct: string | undefined): string {
  return (ct ?? '').split(';')[0].trim().toLowerCase();
}

/** `application/yaml`, `application/x-yaml`, `text/yaml` (and `text/x-yaml`), parameters ignored. */
export function isYamlContentType(ct: string | undefined): boolean {
  return YAML_TYPES.has(mediaType(ct));
}

/** `application/json`, `text/json` and structured `+json` types, parameters ignored. */
export function isJsonContentType(ct: string | undefined): boolean {
  const type = mediaType(ct);
  return type === 'application/json' || type === 'text/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

export type DocumentFormat = 'json' | 'yaml';

/** The declared format wins; otherwise a body that starts with `{` is JSON and anything else YAML. */
export function detectFormat(text: string, ct: string | undefined): DocumentFormat {
  if (isYamlContentType(ct)) return 'yaml';
  if (isJsonContentType(ct)) return 'json';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}
