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

/** An http(s) URL; hosts without a TLD (localhost, a compose service name) are allowed. */
export const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_valid_protocol: true };
