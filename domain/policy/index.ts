import { cn2024 } from './cn-2024';
import type { PolicyPack } from './types';

export * from './types';

/** The pack new submissions are evaluated under. */
export const activePolicy: PolicyPack = cn2024;

const packs: Record<string, PolicyPack> = { [cn2024.id]: cn2024 };

/** A transfer keeps the pack it was submitted under. */
export function policyById(id: string): PolicyPack | undefined {
  return packs[id];
}
