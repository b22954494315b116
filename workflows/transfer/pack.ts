/**
 * The policy pack a transfer's workflow computes with: the version the transfer pinned (and its calendar), never
 * simply the newest — replaying a history after a new version is released must compute what it computed then.
 */
import {
  packWithCalendar,
  PRE_VERSIONING_POLICY_VERSION,
  resolvePolicy,
  type PolicyPack,
} from '../../domain/policy';
import type { TransferInput } from '../messages';

/**
 * Not a refusal of one request, and not an ApplicationFailure on purpose: a worker without this released version
 * (an older deployment) cannot run this transfer; its workflow task fails and retries until a worker that has the
 * version picks it up.
 */
export class PolicyVersionMissing extends Error {
  override readonly name = 'PolicyVersionMissing';
}

function refuseUnknown(ref: string): never {
  throw new PolicyVersionMissing(`this worker has no policy pack ${ref}`);
}

/** The pack of a workflow's input: the carried state's pinned version, else the version it was started with. */
export function packOf(input: TransferInput): PolicyPack {
  const carried = input.carried?.state;
  const id = carried?.policy.id ?? input.policyId;
  const version = carried?.policy.version ?? input.policyVersion ?? PRE_VERSIONING_POLICY_VERSION;
  const pack = resolvePolicy(id, version) ?? refuseUnknown(`${id}@${version}`);
  return packWithCalendar(pack, carried?.calendarVersion);
}
