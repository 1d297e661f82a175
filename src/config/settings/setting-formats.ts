/** How raw environment strings are read (transforms) and checked (validator options). */

/*
 * Reads the raw setting (`obj[key]`): with implicit conversion on, `value` has already been
 * through Boolean(), which makes the string "false" true.
 */
export const toBool = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const value = obj[key];
  return value === undefined ? undefined : ['true', '1', 'yes', 'on'].includes(String(value).toLowerCase())
    ? true : ['false', '0', 'no', 'off'].includes(String(value).toLowerCase()) ? false : value;
};

/** The message of a boolean setting that is none of the spellings toBool reads. */
export const BOOLEAN_SETTING = { message: ({ property }: { property: string }) => `${property} must be true or false (or 1/0, yes/no, on/off)` };

/** The entries of a comma-separated list, trimmed, empty ones left out. */
export const listEntries = (value: string): string[] => value.split(',').map((o) => o.trim()).filter(Boolean);

/**
 * Whether each entry is an http(s) origin exactly as a browser sends it in `Origin` (lower case,
 * no default port, no path, not even a trailing slash): anything else could never match one.
 */
export function isOriginList(value: unknown): boolean {
  return typeof value === 'string' && listEntries(value).every((entry) => {
    try {
      const url = new URL(entry);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry;
    } catch {
      return false;
    }
  });
}

/** An http(s) URL; hosts without a TLD (localhost, a compose service name) are allowed. */
export const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_valid_protocol: true };
