import { Initial1795399014525 } from './1795399014525-Initial';
import { JobExecution1795400011057 } from './1795400011057-JobExecution';
import { Identity1796150952351 } from './1796150952351-Identity';
import { AuditDocumentHash1796151020016 } from './1796151020016-AuditDocumentHash';
import { OperatorActions1796151022638 } from './1796151022638-OperatorActions';
import { StepHeartbeat1796151078875 } from './1796151078875-StepHeartbeat';
import { OutboxLeaseOwner1796151433392 } from './1796151433392-OutboxLeaseOwner';
import { DagTemplates1796152192688 } from './1796152192688-DagTemplates';
import { RunQueryIndexes1796152406302 } from './1796152406302-RunQueryIndexes';
import { WorkerInstance1796153376666 } from './1796153376666-WorkerInstance';
import { RunDeadlines1796154795633 } from './1796154795633-RunDeadlines';
import { DeliveryFailures1796163291965 } from './1796163291965-DeliveryFailures';
import { TraceContext1796163588615 } from './1796163588615-TraceContext';
import { StepHeartbeatSeconds1796163792384 } from './1796163792384-StepHeartbeatSeconds';
import { RunHotUpdates1796170000000 } from './1796170000000-RunHotUpdates';
import { DelayedOutboxRows1796180000000 } from './1796180000000-DelayedOutboxRows';
import { WorkerInstanceServiceName1796180000001 } from './1796180000001-WorkerInstanceServiceName';
import { OutboxWriters1796190000000 } from './1796190000000-OutboxWriters';
import { WorkerInstancesOfService1796200000000 } from './1796200000000-WorkerInstancesOfService';
import { TemplateVersionSource1796200000001 } from './1796200000001-TemplateVersionSource';
import { RelayBootId1796210000000 } from './1796210000000-RelayBootId';
import { WorkerRegistrationPerObjectType1796220000000 } from './1796220000000-WorkerRegistrationPerObjectType';
import { OutboxRefusals1796230000000 } from './1796230000000-OutboxRefusals';

// Every migration, in order. TypeORM runs the ones the database has not seen yet.
export const MIGRATIONS: Function[] = [
  Initial1795399014525, JobExecution1795400011057, Identity1796150952351, AuditDocumentHash1796151020016,
  OperatorActions1796151022638, StepHeartbeat1796151078875, OutboxLeaseOwner1796151433392, DagTemplates1796152192688,
  RunQueryIndexes1796152406302, WorkerInstance1796153376666, RunDeadlines1796154795633, DeliveryFailures1796163291965,
  TraceContext1796163588615, StepHeartbeatSeconds1796163792384, RunHotUpdates1796170000000,
  DelayedOutboxRows1796180000000, WorkerInstanceServiceName1796180000001, OutboxWriters1796190000000,
  WorkerInstancesOfService1796200000000, TemplateVersionSource1796200000001, RelayBootId1796210000000,
  WorkerRegistrationPerObjectType1796220000000, OutboxRefusals1796230000000,
];
