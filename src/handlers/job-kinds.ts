import { AWX_KIND, AwxSpec } from './awx/awx-kind';
import type { JobTargetType } from './job-execution.entity';
import { JobKind, TARGET_TYPES, TargetKind } from './job-kind';
import { OO_KIND, OoSpec } from './oo/oo-kind';

interface Specs { awx: AwxSpec; oo: OoSpec }
/** An awx or oo handler spec, read. */
export type BuiltInSpec = Specs[TargetKind];

const KINDS: { [K in TargetKind]: JobKind<Specs[K]> } = { awx: AWX_KIND, oo: OO_KIND };

export function jobKind<K extends TargetKind>(kind: K): JobKind<Specs[K]> {
  return KINDS[kind];
}

export function isTargetKind(value: unknown): value is TargetKind {
  return (TARGET_TYPES as readonly unknown[]).includes(value);
}

/** The kind of a job row's target (`AWX` → `awx`); undefined for an HTTP step's. */
export function kindOfTarget(targetType: JobTargetType): TargetKind | undefined {
  return TARGET_TYPES.find((kind) => KINDS[kind].targetType === targetType);
}
