import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module';
import { CommandAttempts } from './command-attempts';
import { CommandAttemptsRepository } from './command-attempts.repository';
import { DemoWorker } from './demo-worker.service';
import { HttpWorkerHub } from './http-worker-hub.service';
import { WorkerPresence } from './worker-presence.service';
import { WorkerReplies } from './worker-replies.service';
import { WorkersController } from './workers.controller';

/** Workers that reach Baton over HTTP instead of a broker, and the demo worker inside Baton. */
@Module({
  imports: [EngineModule],
  controllers: [WorkersController],
  providers: [HttpWorkerHub, WorkerReplies, WorkerPresence, DemoWorker, { provide: CommandAttempts, useClass: CommandAttemptsRepository }],
})
export class WorkersModule {}
