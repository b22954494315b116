/**
 * A deliberate bug for test/workflow/bug-retry.test.ts, bundled in place of domain/transfer: the domain throws (as a
 * bug would, not a refusal) when the risk score comes back and when a deadline passes. Everything else is the real
 * domain.
 */
import * as domain from '../../domain/transfer';

export * from '../../domain/transfer';

export function decide(...args: Parameters<typeof domain.decide>): ReturnType<typeof domain.decide> {
  const { type } = args[1];
  if (type === 'risk_scored' || type === 'deadline_passed')
    throw new TypeError(`deliberate bug: ${type} cannot be applied`);
  return domain.decide(...args);
}
