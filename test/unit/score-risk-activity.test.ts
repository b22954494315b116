/** The scoreRisk activity resolves the policy version the transfer pinned; old histories send `policyId` only. */
import { ApplicationFailure } from '@temporalio/common';
import { createActivities, PRE_VERSIONING_POLICY_VERSION } from '../../activities';
import type { Store } from '../../store';
import { resolvePolicy } from '../../domain/policy';
import { scoreRisk } from '../../domain/risk';
import { sampleApplication } from '../fixtures';

const activities = createActivities({ store: {} as Store }); // scoreRisk touches no store
const application = sampleApplication();
const expected = scoreRisk(application, 'standard_contract', resolvePolicy('cn-2024', '2024.1')!);

describe('scoreRisk activity', () => {
  test('scores under the pinned {id, version}', async () => {
    await expect(
      activities.scoreRisk({
        application,
        route: 'standard_contract',
        policy: { id: 'cn-2024', version: '2024.1' },
      }),
    ).resolves.toEqual(expected);
  });

  test(`a history from before versioned packs sends policyId only: that means ${PRE_VERSIONING_POLICY_VERSION}`, async () => {
    expect(PRE_VERSIONING_POLICY_VERSION).toBe('2024.1');
    await expect(
      activities.scoreRisk({ application, route: 'standard_contract', policyId: 'cn-2024' }),
    ).resolves.toEqual(expected);
  });

  test.each([
    [{ policy: { id: 'cn-2024', version: '1999.1' } }, 'unknown policy pack cn-2024@1999.1'],
    [{ policyId: 'xx-2099' }, 'unknown policy pack xx-2099@2024.1'],
    [{}, 'scoreRisk needs the policy {id, version}'],
  ])('%j → a non-retryable failure (retrying cannot make a version appear)', async (ref, message) => {
    const err = await activities.scoreRisk({ application, route: 'standard_contract', ...ref }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, message });
  });
});
