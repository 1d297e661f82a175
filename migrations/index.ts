import { Initial1795399014525 } from './1795399014525-Initial';
import { JobExecution1795400011057 } from './1795400011057-JobExecution';
import { OperatorActions1796151022638 } from './1796151022638-OperatorActions';
import { DagTemplates1796152192688 } from './1796152192688-DagTemplates';
import { RunDeadlines1796154795633 } from './1796154795633-RunDeadlines';

// Every migration, in order. TypeORM runs the ones the database has not seen yet.
export const MIGRATIONS: Function[] = [Initial1795399014525, JobExecution1795400011057, OperatorActions1796151022638, DagTemplates1796152192688,
  RunDeadlines1796154795633];
