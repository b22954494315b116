/**
 * The refusal taxonomy: every rule that says "no" names one of these kinds. Workflows raise them as
 * non-retryable ApplicationFailures with the kind as `type`; the API maps the kind to an HTTP status and a
 * stable problem URI (`urn:xborder:problem:<kind>`).
 */
export const problemKinds = {
  validation: 400,
  unauthenticated: 401,
  'forbidden-role': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'wrong-phase': 409,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'separation-of-duties': 422,
  'rule-violation': 422,
  'materials-incomplete': 422,
  'needs-info': 422,
  'idempotency-key-reuse': 422,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ProblemKind = keyof typeof problemKinds;

export interface Refusal {
  kind: ProblemKind;
  message: string;
  /** field-level details: JSON pointers into the request */
  errors?: { pointer: string; detail: string }[];
}

export function isProblemKind(value: unknown): value is ProblemKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(problemKinds, value);
}
