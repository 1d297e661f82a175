/*
 * Templates in a built-in step's extraVars (AWX), inputs and runName (OO). README text:
 *
 *   ${payload}                  the whole run payload (parsed JSON; the raw text for non-JSON payloads)
 *   ${payload.customer.email}   a field of the payload; array elements by index:
 *                               ${payload.items.0.id} or ${payload.items[0].id}
 *   ${steps.reserveIp.output}   the output of an earlier step that succeeded (a worker's reply
 *                               metadata output, an AWX job's {jobId, status, artifacts}, ...)
 *   ${steps.reserveIp.output.artifacts.ip}   a field of it
 *   ${flowId}, ${correlationId} the run's identifiers
 *   $${                         a literal "${"
 *
 * A string that is exactly one ${...} is replaced by the value with its JSON type (number,
 * object, ...); anywhere else the value is written into the string (objects as JSON).
 * Only string values are templates: keys, numbers and booleans are taken as they are.
 * A reference to something that does not exist fails the step with a message naming it; it
 * never becomes undefined or an empty string.
 */

export interface InterpolationContext {
  payload: unknown;
  payloadEncoding: 'json' | 'text' | 'base64';
  outputs: Record<string, unknown>;
  flowId: string;
  correlationId: string;
}

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const PATH = /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*$/;

function segments(expr: string): string[] {
  return expr.replace(/\[(\d+)\]/g, '.$1').split('.');
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function walk(value: unknown, path: string[], shown: string, expr: string): unknown {
  let current = value;
  let at = shown;
  for (const key of path) {
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      const index = Number(key);
      if (index >= current.length) throw new InterpolationError(`\${${expr}}: ${at} has no element ${index} (it has ${current.length})`);
      current = current[index];
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current)
      && Object.prototype.hasOwnProperty.call(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else {
      throw new InterpolationError(`\${${expr}}: ${at} has no field '${key}' (it is ${describeType(current)})`);
    }
    at = `${at}.${key}`;
  }
  return current;
}

function resolve(expr: string, ctx: InterpolationContext): unknown {
  const trimmed = expr.trim();
  if (!PATH.test(trimmed)) throw new InterpolationError(`\${${expr}}: not a valid reference`);
  const [head, ...rest] = segments(trimmed);
  switch (head) {
    case 'flowId':
    case 'correlationId':
      if (rest.length) throw new InterpolationError(`\${${expr}}: ${head} has no fields`);
      return ctx[head];
    case 'payload':
      if (rest.length && ctx.payloadEncoding !== 'json') {
        throw new InterpolationError(`\${${expr}}: the payload is not JSON (${ctx.payloadEncoding}), it has no fields`);
      }
      return walk(ctx.payload, rest, 'payload', expr);
    case 'steps': {
      const [name, output, ...path] = rest;
      if (!name || output !== 'output') {
        throw new InterpolationError(`\${${expr}}: write steps.<stepName>.output or steps.<stepName>.output.<field>`);
      }
      if (!Object.prototype.hasOwnProperty.call(ctx.outputs, name)) {
        const known = Object.keys(ctx.outputs);
        throw new InterpolationError(`\${${expr}}: no output of step '${name}' (steps with outputs: ${known.length ? known.join(', ') : 'none'})`);
      }
      return walk(ctx.outputs[name], path, `steps.${name}.output`, expr);
    }
    default:
      throw new InterpolationError(`\${${expr}}: unknown name '${head}' (use payload, steps, flowId or correlationId)`);
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * `encode`, when given, is applied to every inserted value (not to the template's own text), and
 * the result is always a string: an http step's path encodes values so a payload cannot add
 * segments or a query to it.
 */
export function interpolateString(template: string, ctx: InterpolationContext, encode?: (text: string) => string): unknown {
  const whole = /^\$\{([^}]*)\}$/.exec(template);
  if (whole && !encode) return resolve(whole[1], ctx);
  return template.replace(PLACEHOLDER, (match: string, expr: string | undefined) => {
    if (match === '$${') return '${';
    if (expr === undefined) throw new InterpolationError(`"${template}": unterminated \${`);
    const text = asText(resolve(expr, ctx));
    return encode ? encode(text) : text;
  });
}

/** Interpolates every string in a JSON-like template; `where` prefixes error messages (e.g. "extraVars"). */
export function interpolate(template: unknown, ctx: InterpolationContext, where = ''): unknown {
  const prefix = (path: string) => (path ? `${path}: ` : '');
  const visit = (node: unknown, path: string): unknown => {
    try {
      if (typeof node === 'string') return interpolateString(node, ctx);
    } catch (e) {
      if (e instanceof InterpolationError) throw new InterpolationError(`${prefix(path)}${e.message}`);
      throw e;
    }
    if (Array.isArray(node)) return node.map((item, i) => visit(item, `${path}[${i}]`));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        // defineProperty: an own "__proto__" key from parsed JSON must stay data, not a prototype.
        Object.defineProperty(out, key, { value: visit(value, path ? `${path}.${key}` : key), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return node;
  };
  return visit(template, where);
}
