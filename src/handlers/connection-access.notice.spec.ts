import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ConnectionAccessNotice } from './connection-access.notice';
import { loadHandlersConfig } from './handlers-config';

describe('ConnectionAccessNotice', () => {
  const env = {
    AWX_HOST: 'https://awx.example.com', AWX_TOKEN: 'tok-123456', AWX_SERVICES: 'ops-team',
    OO_CONNECTIONS: 'prod', OO_PROD_HOST: 'https://oo.example.com/oo', OO_PROD_TOKEN: 'oo-token-1',
    HTTP_CONNECTIONS: 'erp', HTTP_ERP_BASE_URL: 'https://erp.example.com/api',
  };
  let warn: jest.SpyInstance;
  beforeEach(() => { warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined); });
  afterEach(() => warn.mockRestore());

  const notice = (authEnabled: boolean, vars: Record<string, string>) =>
    new ConnectionAccessNotice({ authEnabled } as AppConfig, loadHandlersConfig(vars)).onApplicationBootstrap();

  it('names, with authentication on, the variable of each connection open to every service', () => {
    notice(true, env);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]).toEqual([{ variables: ['OO_PROD_SERVICES', 'HTTP_ERP_SERVICES'] },
      "2 connections are open to every service's templates, credentials and all: set OO_PROD_SERVICES, HTTP_ERP_SERVICES to the services that may name each"]);
  });

  it('says nothing when every connection lists its services, or when authentication is off', () => {
    notice(true, { ...env, OO_PROD_SERVICES: 'ops-team', HTTP_ERP_SERVICES: 'orders' });
    notice(false, env);
    notice(true, {});
    expect(warn).not.toHaveBeenCalled();
  });
});
