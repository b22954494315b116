/**
 * EU-0 (is there a restricted transfer), the Art. 46 tools EU-2/3/4 and the TIA gate EU-5, each as a
 * three-valued check over one hop's facts (EU-GDPR.md §0, §2, §4).
 */
import { all, at, fails, flag, holds, unknown, type Check } from './check';
import { isEEA, SCC_VERSION, type HopFacts, type PartyRole, type SccModule } from './facts';
import { transferSituationSources as src } from './sources';

/**
 * The three cumulative criteria of EDPB Guidelines 05/2021 (§0). Holds when this hop IS a restricted transfer.
 * For an onward hop, criterion 1 holds through the chain (Art. 44 "including for onward transfers").
 */
export function isRestrictedTransfer(hop: HopFacts, prefix: string, onward: boolean): Check {
  const criteria: (() => Check)[] = [];
  if (!onward) {
    criteria.push(() => {
      const country = hop.exporter?.country;
      if (country === undefined)
        return unknown(at(prefix, 'exporter.country'), "the exporter's country (criterion 1, Art. 3)");
      if (isEEA(country)) return holds(`exporter established in the EEA (${country})`);
      return flag(
        hop.exporter?.subjectToGDPR,
        at(prefix, 'exporter.subjectToGDPR'),
        true,
        'whether the exporter outside the EEA is subject to the GDPR for this processing (Art. 3(2))',
        'the exporter is not subject to the GDPR for this processing (criterion 1)',
      );
    });
    criteria.push(() => {
      const means = hop.disclosureMeans;
      if (means === undefined)
        return unknown(
          at(prefix, 'disclosureMeans'),
          'how the data reaches the importer: transmission, remote access, cloud storage, or entered directly by the data subject',
        );
      if (means === 'data_subject_direct')
        return fails(
          `the data subject enters the data directly: no exporter (${src.dataSubjectDirect}); an importer caught by Art. 3(2) applies Chapter V to its own onward disclosures`,
        );
      if (means === 'remote_access')
        return holds(`remote access from a third country is a disclosure (${src.remoteAccess})`);
      if (means === 'cloud_storage')
        return holds(`storage in a cloud outside the EEA is a disclosure (${src.cloudStorage})`);
      return holds('disclosure by transmission');
    });
  }
  criteria.push(() =>
    flag(
      hop.importer?.sameLegalEntityAsExporter,
      at(prefix, 'importer.sameLegalEntityAsExporter'),
      false,
      "whether the importer is the exporter's own employee or branch within the same legal entity (criterion 2)",
      `the importer is within the exporter's own legal entity: no other controller or processor (${src.sameLegalEntity}); Arts. 5, 24 and 32 still apply`,
    ),
  );
  criteria.push(() => {
    if (hop.importer?.io !== undefined)
      return holds(
        `the importer is an international organisation (${hop.importer.io}), a transfer even with its seat in the EU (${src.internationalOrganisation})`,
      );
    const country = hop.importer?.country;
    if (country === undefined)
      return unknown(at(prefix, 'importer.country'), "the importer's country (or importer.io)");
    if (isEEA(country))
      return fails(
        `the recipient is in the EEA (${country}): the GDPR applies there, so this is not ${onward ? 'an onward ' : 'a '}transfer (${src.eeaRecipient})`,
      );
    return holds(`the importer is in a third country (${country}), whatever its own Art. 3(2) status`);
  });
  return all(criteria, 'a restricted transfer: all three EDPB 05/2021 criteria are met');
}

/** The SCC module the roles call for (§4.1). */
export function moduleFor(exporter: PartyRole, importer: PartyRole): SccModule {
  if (exporter === 'controller') return importer === 'controller' ? 'M1' : 'M2';
  return importer === 'processor' ? 'M3' : 'M4';
}

export interface ToolResult {
  check: Check;
  /** whether the tool needs a TIA; 'unknown' with the fact that decides it */
  tia: { required: boolean } | { unknown: Check };
  module?: SccModule;
}

/** EU-2: BCRs approved under Art. 47, both parties members, scope covering category, purpose and country. */
export function bcrCheck(hop: HopFacts, prefix: string): ToolResult {
  const tia = { required: true };
  const b = hop.bcr;
  if (b === undefined)
    return { check: unknown(at(prefix, 'bcr'), 'whether BCRs are in place (null when none)'), tia };
  if (b === null) return { check: fails('no BCRs'), tia };
  type BcrFlag = Exclude<keyof typeof b, 'type' | 'approvalRef'>;
  const f = (key: BcrFlag, reason: string, failWhy: string) => () =>
    flag(b[key], at(prefix, `bcr.${key}`), true, reason, failWhy);
  return {
    check: all(
      [
        f(
          'approvedBySA',
          'whether the competent SA approved the BCRs (Art. 47, consistency mechanism)',
          'the BCRs are not approved by the competent SA',
        ),
        f(
          'exporterIsMember',
          'whether the exporter is a member bound by the BCRs',
          'the exporter is not bound by the BCRs',
        ),
        f(
          'importerIsMember',
          'whether the importer is a member bound by the BCRs',
          'the importer is not a BCR member: a transfer to a non-member (e.g. an external vendor) is not covered',
        ),
        f(
          'scopeCoversCategories',
          'whether the BCR scope lists these data categories',
          'the BCR scope does not list these data categories',
        ),
        f(
          'scopeCoversPurpose',
          'whether the BCR scope lists this purpose',
          'the BCR scope does not list this purpose',
        ),
        f(
          'scopeCoversCountry',
          'whether the BCR scope lists this third country',
          'the BCR scope does not list this third country',
        ),
      ],
      'BCRs approved under Art. 47, both parties bound, transfer within the listed scope',
    ),
    tia,
  };
}

/** EU-3: SCCs 2021/914, signed, module matching the roles, text unmodified, annexes complete. */
export function sccCheck(hop: HopFacts, prefix: string, exporterRole: PartyRole | undefined): ToolResult {
  const s = hop.scc;
  const tiaYes = { required: true };
  if (s === undefined)
    return {
      check: unknown(at(prefix, 'scc'), 'whether SCCs are signed (null or {signed: false} when none)'),
      tia: tiaYes,
    };
  if (s === null || s.signed === false) return { check: fails('no SCCs signed'), tia: tiaYes };
  const importerRole = hop.importer?.role;
  const expected =
    exporterRole && importerRole
      ? moduleFor(exporterRole, importerRole)
      : (undefined as SccModule | undefined);
  const check = all(
    [
      () => flag(s.signed, at(prefix, 'scc.signed'), true, 'whether the SCCs are signed', 'SCCs not signed'),
      () => {
        if (s.version === undefined) return unknown(at(prefix, 'scc.version'), 'the SCC version');
        return s.version === SCC_VERSION
          ? holds('SCCs of Decision (EU) 2021/914')
          : fails(
              `SCC version ${s.version} is not 2021/914: the old sets were repealed and valid only until 27 Dec 2022 (Art. 4); no tool`,
            );
      },
      () => {
        const missing: Check[] = [];
        if (s.module === undefined) missing.push(unknown(at(prefix, 'scc.module'), 'the SCC module'));
        if (exporterRole === undefined)
          missing.push(
            unknown(
              at(prefix, 'exporter.role'),
              'the exporter role (controller / processor) for the SCC module',
            ),
          );
        if (importerRole === undefined)
          missing.push(
            unknown(
              at(prefix, 'importer.role'),
              'the importer role (controller / processor) for the SCC module',
            ),
          );
        if (missing.length > 0)
          return {
            state: 'unknown',
            missing: missing.flatMap((m) => (m.state === 'unknown' ? m.missing : [])),
          };
        return s.module === expected
          ? holds(`module ${s.module} matches ${exporterRole} → ${importerRole}`)
          : fails(
              `module ${s.module} does not match the roles ${exporterRole} → ${importerRole} (needs ${expected})`,
            );
      },
      () =>
        flag(
          s.textUnmodified,
          at(prefix, 'scc.textUnmodified'),
          true,
          'whether the SCC text is unmodified (Clause 2)',
          'the SCC text was modified (Clause 2): additions may not contradict the clauses',
        ),
      () =>
        flag(
          s.annexesComplete,
          at(prefix, 'scc.annexesComplete'),
          true,
          'whether Annexes I–II (and III for M2/M3) are completed',
          'the SCC annexes are not complete',
        ),
    ],
    `SCCs 2021/914 module ${s.module} signed, text unmodified, annexes complete`,
  );
  if (s.module !== 'M4') return { check, tia: tiaYes, module: s.module };
  const combined = s.euCollectedDataCombined;
  return {
    check,
    module: s.module,
    tia:
      combined === undefined
        ? {
            unknown: unknown(
              at(prefix, 'scc.euCollectedDataCombined'),
              'M4: whether the EU processor combines the received data with data it collected in the EU (decides the TIA need, recital 16, Clause 14)',
            ),
          }
        : { required: combined },
  };
}

/** EU-4: another Art. 46 tool (§4.3). */
export function otherArt46Check(hop: HopFacts, prefix: string): ToolResult {
  const tia = { required: true };
  const o = hop.otherArt46;
  if (o === undefined)
    return {
      check: unknown(at(prefix, 'otherArt46'), 'whether another Art. 46 tool is in place (null when none)'),
      tia,
    };
  if (o === null) return { check: fails('no other Art. 46 tool'), tia };
  if (o.kind === undefined)
    return { check: unknown(at(prefix, 'otherArt46.kind'), 'which Art. 46 tool'), tia };
  switch (o.kind) {
    case 'public_body_instrument':
      return {
        check: holds(
          'Art. 46(2)(a): legally binding and enforceable instrument between public authorities or bodies',
        ),
        tia,
      };
    case 'code':
    case 'certification':
      return {
        check: flag(
          o.bindingCommitment,
          at(prefix, 'otherArt46.bindingCommitment'),
          true,
          `Art. 46(2)(${o.kind === 'code' ? 'e' : 'f'}): approved ${o.kind === 'code' ? 'code of conduct' : 'certification'} plus the importer's binding and enforceable commitment`,
          `no binding and enforceable importer commitment for the ${o.kind === 'code' ? 'code of conduct' : 'certification'}`,
        ),
        tia,
      };
    case 'ad_hoc_clauses':
    case 'admin_arrangement':
      return {
        check: flag(
          o.saAuthorisation,
          at(prefix, 'otherArt46.saAuthorisation'),
          true,
          `Art. 46(3)(${o.kind === 'ad_hoc_clauses' ? 'a' : 'b'}) ${o.kind === 'ad_hoc_clauses' ? 'ad hoc contractual clauses' : 'administrative arrangement'} with SA authorisation`,
          `Art. 46(3) ${o.kind === 'ad_hoc_clauses' ? 'ad hoc clauses' : 'administrative arrangement'} without SA authorisation`,
        ),
        tia,
      };
  }
}

/**
 * EU-5, the gate on an Art. 46 tool that needs a TIA: `fails` when the TIA's outcome is `not_effective` or no
 * listed supplementary measure is effective (the tool then fails); `holds` when the TIA found the tool effective;
 * `pending` when no TIA has been done yet (the route stands, approval is blocked until one is: see tia.ts).
 */
export function tiaGate(hop: HopFacts, prefix: string): Check | { state: 'pending' } {
  const t = hop.tia;
  if (t === undefined || t === null || t.done !== true) return { state: 'pending' };
  if (t.outcome === undefined) return unknown(at(prefix, 'tia.outcome'), 'the outcome of the TIA');
  if (t.outcome === 'not_effective')
    return fails('the TIA found the tool not effective in the destination (outcome not_effective)');
  if (t.outcome === 'effective') return holds('the TIA found the tool effective');
  const measures = t.measures ?? [];
  if (measures.length === 0)
    return unknown(
      at(prefix, 'tia.measures'),
      'the supplementary measures the TIA relies on (outcome effective_with_measures)',
    );
  if (measures.every((m) => m.effective === false)) return fails('no effective supplementary measure found');
  return holds('the TIA found the tool effective with supplementary measures');
}
