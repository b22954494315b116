/**
 * Failure messages and stack traces encoded like payloads (so the codec encrypts them). Loaded by path: the
 * worker bundles it into the workflow sandbox, clients load it directly.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
