import { SetMetadata } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';

export const PUBLIC_WHEN_METADATA = 'baton:public-when';
export type PublicWhen = (config: AppConfig) => boolean;

/** A role route that configuration may open to everyone (`/metrics` with METRICS_PUBLIC=true). */
export const PublicWhen = (condition: PublicWhen) => SetMetadata(PUBLIC_WHEN_METADATA, condition);
