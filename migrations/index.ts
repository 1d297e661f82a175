import { Initial1795399014525 } from './1795399014525-Initial';

// Every migration, in order. TypeORM runs the ones the database has not seen yet.
export const MIGRATIONS: Function[] = [Initial1795399014525];
