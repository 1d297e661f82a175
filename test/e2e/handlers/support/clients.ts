import 'reflect-metadata';
import { AwxClient } from '../../../../src/handlers/awx/awx.client';
import { HandlersConfig, loadHandlersConfig } from '../../../../src/handlers/handlers-config';
import type { TargetKind } from '../../../../src/handlers/job-kind';
import { HttpTransport } from '../../../../src/handlers/http/http-transport';
import { OoClient } from '../../../../src/handlers/oo/oo.client';

export function transportFor(kind: TargetKind, env: Record<string, string>, name = 'default'): { transport: HttpTransport; config: HandlersConfig } {
  const config = loadHandlersConfig(env);
  const connection = config.connection(kind, name);
  if (!connection) throw new Error(`no ${kind} connection ${name}`);
  return { transport: new HttpTransport(connection, config.secrets()), config };
}

export function awxClient(env: Record<string, string>): { client: AwxClient; transport: HttpTransport } {
  const { transport } = transportFor('awx', env);
  return { client: new AwxClient(transport), transport };
}

export function ooClient(env: Record<string, string>): { client: OoClient; transport: HttpTransport } {
  const { transport } = transportFor('oo', env);
  return { client: new OoClient(transport), transport };
}

/** Awaits a promise expected to reject, and returns the error. */
export async function failure<T = Error>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (e) {
    return e as T;
  }
  throw new Error('expected a rejection');
}
