/**
 * Art. 49 derogations: EU-6 (bases (a)–(g), §5.1) and EU-7 (compelling legitimate interests, §5.2), with the
 * "occasional" limits, the public-authority limit of Art. 49(3), the necessity test and the Member State limits
 * of Art. 49(5).
 */
import { all, at, fails, flag, holds, unknown, type Check } from './check';
import type { DerogationBasis, HopFacts } from './facts';
import { derogationSources as src } from './sources';

export interface DerogationOptions {
  /** (a) consent used systematically: the pack blocks it unless this is set (§5.1 "default block") */
  consentSystematicAllowed: boolean;
  /** Art. 49(5): data categories whose transfer Member State or Union law limits where there is no adequacy */
  memberStateCategoryLimits: readonly { category: string; law: string }[];
}

/** Which bases are limited to occasional transfers (recital 111; CLI "not repetitive"). */
export const occasionalOnly: readonly DerogationBasis[] = ['b', 'c', 'e', 'cli'];
/** Which bases a public authority in the exercise of its public powers may not use (Art. 49(3)). */
export const notForPublicAuthorities: readonly DerogationBasis[] = ['a', 'b', 'c', 'cli'];
/** Which bases need the necessity test (§5 "Necessity test for (b)–(f)"). */
export const needsNecessity: readonly DerogationBasis[] = ['b', 'c', 'd', 'e', 'f'];

const basisName: Record<DerogationBasis, string> = {
  a: 'Art. 49(1)(a) explicit consent',
  b: 'Art. 49(1)(b) contract with the data subject',
  c: "Art. 49(1)(c) contract in the data subject's interest",
  d: 'Art. 49(1)(d) important public interest',
  e: 'Art. 49(1)(e) legal claims',
  f: 'Art. 49(1)(f) vital interests',
  g: 'Art. 49(1)(g) public register',
  cli: 'Art. 49(1) second subparagraph, compelling legitimate interests',
};

export const derogationSource = (basis: DerogationBasis): string => src[basis];

/** The frequency limits of one basis (§5, §5.1 "Frequency"). */
function frequencyCheck(
  basis: DerogationBasis,
  hop: HopFacts,
  prefix: string,
  opts: DerogationOptions,
): Check {
  const frequency = hop.derogation?.frequency;
  if (basis === 'f' || basis === 'g') return holds(`${basisName[basis]} has no occasional limit`);
  if (frequency === undefined)
    return unknown(
      at(prefix, 'derogation.frequency'),
      'how often the transfer happens: occasional, repetitive or systematic',
    );
  if (occasionalOnly.includes(basis))
    return frequency === 'occasional'
      ? holds('occasional: outside the regular course of action, at arbitrary intervals')
      : fails(
          `${basisName[basis]} is limited to occasional (not repetitive) transfers; a ${frequency} transfer must use an Art. 46 tool (recital 111; [E2])`,
        );
  if (basis === 'a' && frequency === 'systematic' && !opts.consentSystematicAllowed)
    return fails(
      'explicit consent used for systematic transfers: pack policy blocks it (§5.1; consent "might prove not to be a feasible long-term solution")',
    );
  if (basis === 'd' && frequency === 'systematic')
    return fails('important public interest may not ground large-scale or systematic transfers: use Art. 46');
  return holds(`${frequency} use is not excluded for ${basisName[basis]}`);
}

function basisConditions(basis: DerogationBasis, hop: HopFacts, prefix: string): (() => Check)[] {
  const d = hop.derogation ?? {};
  const p = (f: string) => at(prefix, `derogation.${f}`);
  switch (basis) {
    case 'a':
      return [
        () =>
          flag(
            d.consent?.explicit,
            p('consent.explicit'),
            true,
            'whether consent is explicit',
            'consent is not explicit',
          ),
        () =>
          flag(
            d.consent?.specific,
            p('consent.specific'),
            true,
            'whether consent is specific to this transfer (consent at collection is not enough)',
            'consent is not specific to this transfer or set of transfers',
          ),
        () =>
          flag(
            d.consent?.informedOfRisks,
            p('consent.informedOfRisks'),
            true,
            'whether the data subject was informed of the specific risks (no adequacy, no safeguards, recipients, countries)',
            'the data subject was not informed of the specific risks: the derogation does not apply',
          ),
      ];
    case 'b':
    case 'c':
      return [];
    case 'd':
      return [
        () => {
          const lawOf = d.publicInterest?.lawOf;
          if (lawOf === undefined)
            return unknown(
              p('publicInterest.lawOf'),
              'which law recognises the public interest (Art. 49(4))',
            );
          if (lawOf === 'third_country')
            return fails(
              "a third country's public interest is not enough: it must be recognised in EU or Member State law (Art. 49(4))",
            );
          return d.publicInterest?.provision
            ? holds(`public interest recognised in ${lawOf === 'eu' ? 'EU' : 'Member State'} law`)
            : unknown(p('publicInterest.provision'), 'the legal provision recognising the public interest');
        },
      ];
    case 'e':
      return [
        () =>
          flag(
            d.legalClaims?.specificProcedure,
            p('legalClaims.specificProcedure'),
            true,
            'whether a specific procedure with a basis in law exists',
            'no specific procedure: the mere possibility of one is not enough',
          ),
        () =>
          d.legalClaims?.procedureRef
            ? holds('procedure referenced')
            : unknown(p('legalClaims.procedureRef'), 'the reference of the procedure'),
      ];
    case 'f':
      return [
        () =>
          flag(
            d.vitalInterests?.dataSubjectIncapableOfConsent,
            p('vitalInterests.dataSubjectIncapableOfConsent'),
            true,
            'whether the data subject is physically or legally incapable of consenting',
            'the data subject is capable of consenting: vital interests do not apply',
          ),
        () => {
          const special = hop.specialCategories;
          if (special === undefined)
            return unknown(
              at(prefix, 'specialCategories'),
              'the Art. 9 special categories transferred (empty when none)',
            );
          if (!special.includes('health')) return holds('no health data');
          return flag(
            d.vitalInterests?.essentialDiagnosisOrCare,
            p('vitalInterests.essentialDiagnosisOrCare'),
            true,
            'health data: whether the transfer is necessary for an essential diagnosis or care',
            'health data under vital interests only for an essential diagnosis or care, not general research',
          );
        },
      ];
    case 'g':
      return [
        () =>
          flag(
            d.publicRegister?.privateRegister,
            p('publicRegister.privateRegister'),
            false,
            'whether the register is private',
            'private registers are excluded',
          ),
        () =>
          flag(
            d.publicRegister?.intendedByLawToInformPublic,
            p('publicRegister.intendedByLawToInformPublic'),
            true,
            'whether EU or Member State law intends the register to inform the public',
            'the register is not one intended by law to inform the public',
          ),
        () =>
          flag(
            d.publicRegister?.consultationConditionsMet,
            p('publicRegister.consultationConditionsMet'),
            true,
            'whether the consultation conditions are met in this case',
            'the consultation conditions are not met',
          ),
        () =>
          flag(
            d.publicRegister?.entireRegisterOrCategories,
            p('publicRegister.entireRegisterOrCategories'),
            false,
            'whether the entire register or entire categories of it are transferred',
            'not the entire register or entire categories of data in it (Art. 49(2))',
          ),
      ];
    case 'cli': {
      const c = d.compellingInterests ?? {};
      const q = (f: string) => p(`compellingInterests.${f}`);
      return [
        () =>
          flag(
            c.noOtherToolPossibleDemonstrated,
            q('noOtherToolPossibleDemonstrated'),
            true,
            'whether serious attempts at an Art. 45/46 tool are demonstrated (item 1)',
            'no demonstration that no Art. 45/46 tool is possible',
          ),
        () =>
          hop.approxDataSubjects === undefined
            ? unknown(at(prefix, 'approxDataSubjects'), 'the approximate number of data subjects (item 3)')
            : holds(`about ${hop.approxDataSubjects} data subjects`),
        () =>
          flag(
            c.limitedDataSubjects,
            q('limitedDataSubjects'),
            true,
            'whether only a limited number of data subjects is concerned (item 3)',
            'not a limited number of data subjects (a confined few, not e.g. all employees)',
          ),
        () =>
          flag(
            c.compellingForController,
            q('compellingForController'),
            true,
            "whether the interest is compelling and the controller's own (item 4)",
            "the interest is not a compelling interest of the controller's own",
          ),
        () =>
          flag(
            c.balancingDone,
            q('balancingDone'),
            true,
            'whether the balancing is done (item 5)',
            'no balancing test',
          ),
        () =>
          c.safeguards === undefined
            ? unknown(q('safeguards'), 'the suitable safeguards (item 5)')
            : c.safeguards.length > 0
              ? holds('suitable safeguards listed')
              : fails('suitable safeguards are mandatory (item 5)'),
        () =>
          flag(
            c.saInformed,
            q('saInformed'),
            true,
            'whether the SA is informed (item 6)',
            'the SA is not informed',
          ),
        () =>
          flag(
            c.dataSubjectsInformed,
            q('dataSubjectsInformed'),
            true,
            'whether the data subjects are informed of the transfer and the interest (item 7)',
            'the data subjects are not informed',
          ),
        () =>
          flag(
            c.art30Documented,
            q('art30Documented'),
            true,
            'whether assessment and safeguards are documented in the Art. 30 records (item 8, Art. 49(6))',
            'not documented in the Art. 30 records (Art. 49(6))',
          ),
      ];
    }
  }
}

/**
 * EU-6 (bases a–g) or EU-7 (`cli`): whether the claimed derogation holds with all its conditions. `exporter` is the
 * hop's exporter for the public-authority limit.
 */
export function derogationCheck(
  hop: HopFacts,
  prefix: string,
  publicAuthority: boolean | undefined,
  publicAuthorityField: string,
  opts: DerogationOptions,
): { check: Check; basis?: DerogationBasis } {
  const d = hop.derogation;
  if (d === undefined)
    return {
      check: unknown(at(prefix, 'derogation'), 'whether an Art. 49 derogation is claimed (null when none)'),
    };
  if (d === null) return { check: fails('no derogation claimed') };
  const basis = d.basis;
  if (basis === undefined)
    return { check: unknown(at(prefix, 'derogation.basis'), 'the Art. 49 basis (a–g or cli)') };
  const checks: (() => Check)[] = [];
  if (notForPublicAuthorities.includes(basis))
    checks.push(() =>
      flag(
        publicAuthority,
        publicAuthorityField,
        false,
        'whether the exporter is a public authority exercising its public powers (Art. 49(3))',
        `${basisName[basis]} is not available to a public authority in the exercise of its public powers (${src.publicAuthority})`,
      ),
    );
  checks.push(() => frequencyCheck(basis, hop, prefix, opts));
  if (needsNecessity.includes(basis))
    checks.push(() =>
      d.necessityNote
        ? holds('necessity documented')
        : unknown(
            at(prefix, 'derogation.necessityNote'),
            'the necessity note: the close and substantial connection, only the data necessary',
          ),
    );
  checks.push(...basisConditions(basis, hop, prefix));
  if (opts.memberStateCategoryLimits.length > 0)
    checks.push(() => {
      const categories = hop.dataCategories;
      if (categories === undefined)
        return unknown(at(prefix, 'dataCategories'), 'the data categories (Member State limits, Art. 49(5))');
      const limited = opts.memberStateCategoryLimits.find((l) => categories.includes(l.category));
      return limited
        ? fails(
            `${limited.law} limits transfers of ${limited.category} without adequacy (${src.memberStateLimits})`,
          )
        : holds('no Member State category limit applies');
    });
  return { check: all(checks, `${basisName[basis]}: all its conditions hold`), basis };
}
