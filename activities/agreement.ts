/** The agreement text, rendered from the approved scope and conditions. Deterministic: no clock, no randomness. */
import type { PartialApplication } from '../domain/application';

export interface AgreementInput {
  application: PartialApplication;
  route: string;
  policy: { id: string; version: string };
  conditions: { id: string; text: string }[];
  approvedAt: string;
  approvedBy: string[];
}

export function renderAgreementText(input: AgreementInput): string {
  const a = input.application;
  const lines = [
    'PERSONAL INFORMATION CROSS-BORDER TRANSFER AGREEMENT',
    '',
    `Route: ${input.route} (policy ${input.policy.id} ${input.policy.version})`,
    `Approved: ${input.approvedAt} by ${input.approvedBy.join(', ')}`,
    '',
    `Exporter: ${a.exporter?.name ?? ''} (unified social credit code ${a.exporter?.creditCode ?? ''})`,
    `Recipient: ${a.recipient?.name ?? ''}, ${a.recipient?.country ?? ''} (id ${a.recipient?.id ?? ''}, contact ${a.recipient?.contactEmail ?? ''})`,
    '',
    '1. Purpose and scope',
    `   ${a.purpose ?? ''}`,
    ...(a.dataCategories ?? []).map(
      (c) => `   - ${c.category}${c.sensitive ? ' (sensitive)' : ''}: ${c.fields.join(', ')}`,
    ),
    `   Individuals this year: ${a.volume?.individualsYtd ?? 0}; with sensitive PI: ${a.volume?.sensitiveIndividualsYtd ?? 0}`,
    '',
    '2. Method, storage and retention',
    `   Method: ${a.transfer?.method ?? ''}; frequency: ${a.transfer?.frequency ?? ''}`,
    `   Storage location: ${a.transfer?.storageLocation ?? ''}; retention: ${a.transfer?.retentionDays ?? ''} days`,
    ...(a.transfer?.onwardTransfers ?? []).map(
      (o) =>
        `   Onward transfer to ${o.recipientName} (${o.country}) under ${o.mechanism ?? 'no stated mechanism'}`,
    ),
    '',
    '3. Security measures',
    `   Encryption in transit: ${a.safeguards?.encryptionInTransit ? 'yes' : 'no'}; at rest: ${a.safeguards?.encryptionAtRest ? 'yes' : 'no'}; keys held by: ${a.safeguards?.keysHeldBy ?? ''}`,
    `   Pseudonymised: ${a.safeguards?.pseudonymised ? 'yes' : 'no'}`,
    '',
    '4. Conditions of approval (each acknowledged by the recipient and evidenced by the exporter)',
    ...(input.conditions.length ? input.conditions.map((c) => `   ${c.id}. ${c.text}`) : ['   none']),
    '',
    '5. The recipient processes the personal information only within this scope, assists with the rights of',
    '   individuals, notifies incidents without delay, and accepts supervision and audit under PIPL Arts. 38-42.',
    '',
  ];
  return lines.join('\n');
}
