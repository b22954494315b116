/** Actors and sample applications shared by the tests. */
import type { TransferApplication } from '../domain/application';
import type { Actor } from '../domain/authz';
import { ConfigError, parseConfig } from '../config';

/**
 * The test suite's key ring (XBORDER_ENCRYPTION_KEYS format): a fixed key, so every stack, the time-skipping
 * worker, the history recorders and the replayer read every payload the others wrote.
 */
export const TEST_ENCRYPTION_KEYS = `test-1:${Buffer.alloc(32, 7).toString('base64')}`;

export const applicant: Actor = { sub: 'alice', role: 'applicant', org: 'acme' };
export const otherApplicant: Actor = { sub: 'bob', role: 'applicant', org: 'globex' };
export const reviewer: Actor = { sub: 'rita', role: 'reviewer', org: 'regulator' };
export const acmeReviewer: Actor = { sub: 'ray', role: 'reviewer', org: 'acme' };
export const recipient: Actor = { sub: 'eve', role: 'recipient', recipient: 'eu-fulfil' };
export const otherRecipient: Actor = { sub: 'oscar', role: 'recipient', recipient: 'us-cloud' };

export const standardContractKinds = [
  'pipia_report',
  'standard_contract',
  'business_licence',
  'legal_representative_id',
  'authorisation_letter',
  'undertaking_letter',
];

/** The standard-contract materials with made-up document ids (for tests below the API, which checks uploads). */
export function placeholderMaterials(): TransferApplication['materials'] {
  return standardContractKinds.map((kind, i) => ({
    kind,
    documentId: `sha256:${String(i).repeat(64)}`,
  })) as TransferApplication['materials'];
}

export function sampleApplication(overrides: Partial<TransferApplication> = {}): TransferApplication {
  return {
    title: 'Order data to EU fulfilment',
    exporter: { org: 'acme', name: 'Acme Commerce', creditCode: '91310000MA1FL8XQ3C', isCIIO: false },
    recipient: {
      id: 'eu-fulfil',
      name: 'EU Fulfil GmbH',
      country: 'DE',
      contactEmail: 'dpo@eufulfil.example',
      certifications: ['ISO27001'],
    },
    purpose: 'Fulfilment of cross-border orders',
    dataCategories: [{ category: 'contact', sensitive: false, fields: ['name', 'address'] }],
    volume: { individualsYtd: 250_000, sensitiveIndividualsYtd: 0, importantData: false },
    transfer: {
      method: 'HTTPS API',
      frequency: 'continuous',
      storageLocation: 'Frankfurt',
      retentionDays: 365,
      onwardTransfers: [],
    },
    safeguards: {
      encryptionInTransit: true,
      encryptionAtRest: true,
      keysHeldBy: 'exporter',
      pseudonymised: false,
    },
    routePreference: 'standard_contract',
    contractTermMonths: 36,
    materials: [],
    ...overrides,
  };
}

/** What parseConfig says of an environment: its ConfigError's message, or "(accepted)". */
export function configRefusal(env: NodeJS.ProcessEnv): string {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '(accepted)';
}
