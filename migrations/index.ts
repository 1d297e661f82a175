import { Initial1795399014525 } from './1795399014525-Initial';
import { JobExecution1795400011057 } from './1795400011057-JobExecution';
import { RunQueryIndexes1796152406302 } from './1796152406302-RunQueryIndexes';

// Every migration, in order. TypeORM runs the ones the database has not seen yet.
export const MIGRATIONS: Function[] = [Initial1795399014525, JobExecution1795400011057, RunQueryIndexes1796152406302];
