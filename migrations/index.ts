import { Initial1795399014525 } from './1795399014525-Initial';
import { JobExecution1795400011057 } from './1795400011057-JobExecution';
import { WorkerInstance1796153376666 } from './1796153376666-WorkerInstance';
import { StepHeartbeat1796151078875 } from './1796151078875-StepHeartbeat';

// Every migration, in order. TypeORM runs the ones the database has not seen yet.
export const MIGRATIONS: Function[] = [Initial1795399014525, JobExecution1795400011057, StepHeartbeat1796151078875, WorkerInstance1796153376666];
