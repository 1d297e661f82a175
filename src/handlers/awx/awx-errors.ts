function flatten(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => flatten(v).map((m) => `${k}: ${m}`));
  }
  return [String(value)];
}

/**
 * The human message in an AWX error body: `{"detail": "..."}`, or field errors such as
 * `{"variables_needed_to_start": ["'region' value missing"]}`, `{"extra_vars": ["..."]}`,
 * `{"__all__": [...]}`, joined as "field: message; field: message". Undefined for a non-JSON body.
 */
export function awxErrorMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed === 'string') return parsed;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return flatten(parsed).join('; ') || undefined;
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.detail === 'string') return obj.detail;
  if (typeof obj.error === 'string') return obj.error;
  const parts = Object.entries(obj).flatMap(([key, value]) => {
    const messages = flatten(value);
    const bare = key === '__all__' || key === 'non_field_errors';
    return bare ? messages : messages.map((m) => `${key}: ${m}`);
  });
  return parts.length ? parts.join('; ') : undefined;
}
