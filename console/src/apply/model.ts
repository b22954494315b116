/**
 * The new-application wizard's form state and its mapping to and from the API's (partial) TransferApplication.
 * Inputs hold text; a number or a yes/no answer goes into the application only once it is one, so a draft
 * or a route check carries only what the applicant has actually said.
 */
import type { components, paths } from '../api/schema';
import type { Problem } from '../api/client';

/** The wizard writes cn-2024 applications (the route check's default pack; the body may name another). */
export type PartialApplication = Omit<
  Extract<
    NonNullable<paths['/v1/route-check']['post']['requestBody']>['content']['application/json'],
    { policy?: 'cn-2024' }
  >,
  'policy'
>;
/** The route check's answer under cn-2024 (the pack the wizard asks under). */
export type RouteCheck = components['schemas']['RouteCheckCn2024'];
export type MaterialKind = NonNullable<PartialApplication['materials']>[number]['kind'];

export const materialKinds: readonly MaterialKind[] = [
  'declaration_form',
  'self_assessment_report',
  'legal_documents',
  'business_licence',
  'legal_representative_id',
  'authorisation_letter',
  'data_link_description',
  'pipia_report',
  'standard_contract',
  'undertaking_letter',
  'certification_application',
  'certificate',
];

export const exemptionBases = [
  'collected_abroad',
  'free_trade_zone',
  'contract_necessity',
  'hr_management',
  'emergency',
] as const;
export type ExemptionBasis = (typeof exemptionBases)[number];
export const keyHolders = ['exporter', 'recipient', 'third_party'] as const;
export const routeChoices = ['standard_contract', 'certification'] as const;

export type YesNo = '' | 'yes' | 'no';

export interface Category {
  category: string;
  sensitive: boolean;
  fields: string;
}
export interface Onward {
  recipientName: string;
  country: string;
  mechanism: string;
}
export interface Material {
  kind: MaterialKind;
  documentId: string;
  issuedOn: string;
  filename?: string;
  size?: number;
}

export interface Form {
  title: string;
  exporterName: string;
  creditCode: string;
  isCIIO: YesNo;
  recipientId: string;
  recipientName: string;
  country: string;
  contactEmail: string;
  certifications: string;
  purpose: string;
  personalInfo: YesNo;
  categories: Category[];
  individualsYtd: string;
  sensitiveIndividualsYtd: string;
  importantData: YesNo;
  exemptionBasis: ExemptionBasis | '';
  justification: string;
  method: string;
  frequency: string;
  storageLocation: string;
  retentionDays: string;
  onward: Onward[];
  encryptionInTransit: YesNo;
  encryptionAtRest: YesNo;
  keysHeldBy: (typeof keyHolders)[number] | '';
  pseudonymised: YesNo;
  routePreference: (typeof routeChoices)[number] | '';
  contractTermMonths: string;
  materials: Material[];
}

export const emptyCategory = (): Category => ({ category: '', sensitive: false, fields: '' });
export const emptyOnward = (): Onward => ({ recipientName: '', country: '', mechanism: '' });

export const emptyForm = (): Form => ({
  title: '',
  exporterName: '',
  creditCode: '',
  isCIIO: '',
  recipientId: '',
  recipientName: '',
  country: '',
  contactEmail: '',
  certifications: '',
  purpose: '',
  personalInfo: '',
  categories: [emptyCategory()],
  individualsYtd: '',
  sensitiveIndividualsYtd: '',
  importantData: '',
  exemptionBasis: '',
  justification: '',
  method: '',
  frequency: '',
  storageLocation: '',
  retentionDays: '',
  onward: [],
  encryptionInTransit: '',
  encryptionAtRest: '',
  keysHeldBy: '',
  pseudonymised: '',
  routePreference: '',
  contractTermMonths: '',
  materials: [],
});

const str = (v: string) => (v.trim() ? v.trim() : undefined);
const int = (v: string) => (/^\s*\d+\s*$/.test(v) ? Number(v) : undefined);
const bool = (v: YesNo) => (v === '' ? undefined : v === 'yes');
const list = (v: string) =>
  v
    .split(/[,，\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Drop undefined members; undefined when nothing is left. */
function compact<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What the applicant has said so far, as a partial application (org: the signed-in organisation). */
export function toApplication(f: Form, org: string): PartialApplication {
  const categories = f.categories
    .filter((c) => c.category.trim())
    .map((c) => ({ category: c.category.trim(), sensitive: c.sensitive, fields: list(c.fields) }));
  const onward = f.onward
    .filter((o) => o.recipientName.trim() || o.country.trim())
    .map((o) => ({
      recipientName: o.recipientName.trim(),
      country: o.country.trim().toUpperCase(),
      ...(o.mechanism.trim() ? { mechanism: o.mechanism.trim() } : {}),
    }));
  const app: PartialApplication = {
    title: str(f.title),
    exporter: { org, name: str(f.exporterName), creditCode: str(f.creditCode), isCIIO: bool(f.isCIIO) },
    recipient: compact({
      id: str(f.recipientId),
      name: str(f.recipientName),
      country: str(f.country)?.toUpperCase(),
      contactEmail: str(f.contactEmail),
      certifications: list(f.certifications).length > 0 ? list(f.certifications) : undefined,
    }),
    purpose: str(f.purpose),
    dataCategories:
      f.personalInfo === 'no'
        ? []
        : f.personalInfo === 'yes' && categories.length > 0
          ? categories
          : undefined,
    volume: compact({
      individualsYtd: int(f.individualsYtd),
      sensitiveIndividualsYtd: int(f.sensitiveIndividualsYtd),
      importantData: bool(f.importantData),
    }),
    exemption:
      f.exemptionBasis && f.justification.trim()
        ? { basis: f.exemptionBasis, justification: f.justification.trim() }
        : undefined,
    transfer: compact({
      method: str(f.method),
      frequency: str(f.frequency),
      storageLocation: str(f.storageLocation),
      retentionDays: int(f.retentionDays),
      onwardTransfers: onward.length > 0 ? onward : undefined,
    }),
    safeguards: compact({
      encryptionInTransit: bool(f.encryptionInTransit),
      encryptionAtRest: bool(f.encryptionAtRest),
      keysHeldBy: f.keysHeldBy || undefined,
      pseudonymised: bool(f.pseudonymised),
    }),
    routePreference: f.routePreference || undefined,
    contractTermMonths: int(f.contractTermMonths),
    materials:
      f.materials.length > 0
        ? f.materials.map((m) => ({
            kind: m.kind,
            documentId: m.documentId,
            ...(m.issuedOn ? { issuedOn: m.issuedOn } : {}),
          }))
        : undefined,
  };
  app.exporter = compact(app.exporter!);
  return compact(app) ?? {};
}

/** Only the facts the route table reads: a half-typed e-mail address elsewhere cannot stop the live check. */
export function routingFacts(app: PartialApplication): PartialApplication {
  return (
    compact({
      exporter: app.exporter?.isCIIO === undefined ? undefined : { isCIIO: app.exporter.isCIIO },
      dataCategories: app.dataCategories,
      volume: app.volume,
      exemption: app.exemption,
      routePreference: app.routePreference,
    }) ?? {}
  );
}

const yn = (v: unknown): YesNo => (v === true ? 'yes' : v === false ? 'no' : '');
const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A stored draft's application back into the form (to reopen and edit it). */
export function fromApplication(
  app: Record<string, unknown>,
  known: (id: string) => { filename: string; size: number } | undefined = () => undefined,
): Form {
  const a = app as PartialApplication;
  const f = emptyForm();
  f.title = s(a.title);
  f.exporterName = s(a.exporter?.name);
  f.creditCode = s(a.exporter?.creditCode);
  f.isCIIO = yn(a.exporter?.isCIIO);
  f.recipientId = s(a.recipient?.id);
  f.recipientName = s(a.recipient?.name);
  f.country = s(a.recipient?.country);
  f.contactEmail = s(a.recipient?.contactEmail);
  f.certifications = (a.recipient?.certifications ?? []).join(', ');
  f.purpose = s(a.purpose);
  if (a.dataCategories) {
    f.personalInfo = a.dataCategories.length > 0 ? 'yes' : 'no';
    if (a.dataCategories.length > 0)
      f.categories = a.dataCategories.map((c) => ({
        category: c.category,
        sensitive: c.sensitive,
        fields: (c.fields ?? []).join(', '),
      }));
  }
  f.individualsYtd = s(a.volume?.individualsYtd);
  f.sensitiveIndividualsYtd = s(a.volume?.sensitiveIndividualsYtd);
  f.importantData = yn(a.volume?.importantData);
  f.exemptionBasis = a.exemption?.basis ?? '';
  f.justification = s(a.exemption?.justification);
  f.method = s(a.transfer?.method);
  f.frequency = s(a.transfer?.frequency);
  f.storageLocation = s(a.transfer?.storageLocation);
  f.retentionDays = s(a.transfer?.retentionDays);
  f.onward = (a.transfer?.onwardTransfers ?? []).map((o) => ({
    recipientName: o.recipientName,
    country: o.country,
    mechanism: o.mechanism ?? '',
  }));
  f.encryptionInTransit = yn(a.safeguards?.encryptionInTransit);
  f.encryptionAtRest = yn(a.safeguards?.encryptionAtRest);
  f.keysHeldBy = a.safeguards?.keysHeldBy ?? '';
  f.pseudonymised = yn(a.safeguards?.pseudonymised);
  f.routePreference = a.routePreference ?? '';
  f.contractTermMonths = s(a.contractTermMonths);
  f.materials = (a.materials ?? []).map((m) => ({
    kind: m.kind,
    documentId: m.documentId,
    issuedOn: m.issuedOn ?? '',
    ...known(m.documentId),
  }));
  return f;
}

export const steps = ['parties', 'data', 'transfer', 'materials', 'review'] as const;
export type Step = (typeof steps)[number];

/** Which step holds the field a JSON pointer names. */
export function stepOf(pointer: string): Step | undefined {
  const top = pointer.split('/')[1] ?? '';
  if (['title', 'exporter', 'recipient', 'purpose'].includes(top)) return 'parties';
  if (['dataCategories', 'volume', 'exemption'].includes(top)) return 'data';
  if (['transfer', 'safeguards', 'routePreference', 'contractTermMonths'].includes(top)) return 'transfer';
  if (top === 'materials') return 'materials';
  return undefined;
}

/**
 * A refusal's pointers as the form's fields spell them: whatever wraps the application in the body the server
 * checked (`/application/…` of a submit) is dropped; a dotted field name (`volume.importantData`) becomes a
 * pointer.
 */
export function toFieldPointer(pointer: string): string {
  let p = pointer.startsWith('/') ? pointer : `/${pointer.replace(/\./g, '/')}`;
  if (p.startsWith('/application/')) p = p.slice('/application'.length);
  return p;
}

export function normaliseProblem(problem: Problem): Problem {
  return problem.errors
    ? { ...problem, errors: problem.errors.map((e) => ({ ...e, pointer: toFieldPointer(e.pointer) })) }
    : problem;
}

/** Filenames of uploads, by digest, kept in this browser so a reopened draft shows them (the API stores none). */
const FILES_KEY = 'xborder.uploads';
export function rememberUpload(id: string, filename: string, size: number): void {
  try {
    const all = JSON.parse(localStorage.getItem(FILES_KEY) ?? '{}') as Record<string, unknown>;
    all[id] = { filename, size };
    localStorage.setItem(FILES_KEY, JSON.stringify(all));
  } catch {
    // storage full or disabled: the digest is still shown
  }
}
export function knownUpload(id: string): { filename: string; size: number } | undefined {
  try {
    const all = JSON.parse(localStorage.getItem(FILES_KEY) ?? '{}') as Record<
      string,
      { filename: string; size: number }
    >;
    return all[id];
  } catch {
    return undefined;
  }
}
