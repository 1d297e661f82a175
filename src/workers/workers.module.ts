import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module';
import { HttpWorkerHub } from './http-worker-hub.service';
import { WorkerPresence } from './worker-presence.service';
import { WorkerReplies } from './worker-replies.service';
import { WorkersController } from './workers.controller';

/** Workers that reach Baton over HTTP instead of a broker. */
@Module({
  imports: [EngineModule],
  controllers: [WorkersController],
  providers: [HttpWorkerHub, WorkerReplies, WorkerPresence],
})
export class WorkersModule {}
