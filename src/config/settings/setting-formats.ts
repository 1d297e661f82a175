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

/** Browser origins, comma-separated, each as a browser sends it: scheme, host and port, no path (not even a trailing slash). */
export const ORIGINS = /^\s*https?:\/\/[^\s/,?#@]+\s*(,\s*https?:\/\/[^\s/,?#@]+\s*)*$/i;

/** An http(s) URL; hosts without a TLD (localhost, a compose service name) are allowed. */
export const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_valid_protocol: true };
