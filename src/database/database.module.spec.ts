import type { DataSource } from 'typeorm';
import { EmbeddedDatabaseHolder } from './database.module';
import type { EmbeddedDatabase } from './embedded-database';

describe('EmbeddedDatabaseHolder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const fakes = () => {
    const order: string[] = [];
    const dataSource = {
      isInitialized: true,
      query: jest.fn(async (sql: string) => { order.push(sql); }),
      destroy: jest.fn(async () => { order.push('destroy'); }),
    } as unknown as DataSource;
    const instance = { close: jest.fn(async () => { order.push('close'); }) } as unknown as EmbeddedDatabase;
    return { order, dataSource, instance };
  };

  it('checkpoints the embedded database through TypeORM once up, and stops before closing it', async () => {
    const { order, dataSource, instance } = fakes();
    const holder = new EmbeddedDatabaseHolder(instance, 5000);
    holder.attach(dataSource);
    holder.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10_000);
    await holder.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(order).toEqual(['CHECKPOINT', 'CHECKPOINT', 'destroy', 'close']);
  });

  it('takes no checkpoint on PostgreSQL (no embedded instance)', async () => {
    const { order, dataSource } = fakes();
    const holder = new EmbeddedDatabaseHolder(undefined, 5000);
    holder.attach(dataSource);
    holder.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10_000);
    await holder.onApplicationShutdown();
    expect(order).toEqual([]);
  });
});
