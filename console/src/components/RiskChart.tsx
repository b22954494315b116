/**
 * The risk score explained: one bar per factor, its length the factor's share of the largest contribution, a
 * credit (negative contribution) drawn to the left in another colour. Every bar carries its value as text, and
 * the chart is a table, so a screen reader reads factor, points and why.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Transfer } from '../api/client';

type Risk = NonNullable<Transfer['risk']>;

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0');

/** The engine's phrases in a factor's detail (domain/risk.ts), by catalogue key. */
const phrases: Record<string, string> = {
  'no sensitive categories': 'noSensitive',
  none: 'none',
  'no recognised certification': 'noCertification',
  'no credit': 'noCredit',
  'no encryption in transit': 'noTransitEncryption',
  'encrypted in transit and at rest, keys held by the exporter': 'encrypted',
  'pseudonymised, mapping kept here': 'pseudonymised',
  'contract band': 'band.contract_band',
  'assessment band': 'band.assessment_band',
  'below thresholds': 'band.below_thresholds',
};

/**
 * A factor's detail, which the engine writes in English, in the user's language where it has one of the engine's
 * forms (anything else, such as a policy pack's own label, is shown as it is).
 */
export function factorDetail(t: TFunction, detail: string): string {
  return detail
    .split('; ')
    .map((part) => {
      const phrase = phrases[part];
      if (phrase) return t(`case.riskDetail.${phrase}`);
      let m = /^(\S+): (tier\d)$/.exec(part);
      if (m)
        return t('case.riskDetail.destination', {
          country: m[1],
          tier: t(`case.riskDetail.tier.${m[2]}`, { defaultValue: m[2] }),
        });
      m = /^recognised: (.+)$/.exec(part);
      if (m) return t('case.riskDetail.recognised', { certs: m[1] });
      m = /^(\d+) onward hop\(s\), (\d+) without a mechanism$/.exec(part);
      if (m) return t('case.riskDetail.onward', { hops: m[1], bare: m[2] });
      m = /^(.+) \(sensitive\)$/.exec(part);
      if (m) return t('case.riskDetail.sensitive', { category: m[1] });
      return part;
    })
    .join(t('case.riskDetail.separator'));
}

export function RiskChart({ risk }: { risk: Risk }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...risk.factors.map((f) => Math.abs(f.contribution)));
  return (
    <section aria-labelledby="risk-title">
      <h2 id="risk-title">{t('case.risk.title')}</h2>
      <p>
        {t('case.risk.summary', {
          score: risk.score,
          level: t(`risk.${risk.level}`, { defaultValue: risk.level }),
        })}{' '}
        <span className="hint">{t(`case.risk.needs.${risk.level}`)}</span>
      </p>
      {risk.gates.length > 0 && (
        <div className="problem" role="note">
          <strong>{t('case.risk.gates')}</strong>
          <ul>
            {risk.gates.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </div>
      )}
      <table className="risk-chart">
        <caption>{t('case.risk.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('case.risk.factor')}</th>
            <th scope="col">{t('case.risk.contribution')}</th>
            <th scope="col">{t('case.risk.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {risk.factors.map((f) => {
            const width = `${(Math.abs(f.contribution) / max) * 100}%`;
            return (
              <tr key={f.factor}>
                <th scope="row">
                  {t(`case.factor.${f.factor}`, { defaultValue: f.factor.replace(/_/g, ' ') })}
                </th>
                <td>
                  <div className="bar-cell">
                    <span className="bar-track" aria-hidden="true">
                      <span
                        className={`risk-bar ${f.contribution < 0 ? 'credit' : 'adds'}`}
                        data-testid="risk-bar"
                        style={{ width }}
                      />
                    </span>
                    <span className="bar-value">
                      {t('case.risk.points', { value: signed(f.contribution) })}
                    </span>
                  </div>
                </td>
                <td>{factorDetail(t, f.detail)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('case.risk.total')}</th>
            <td>{t('case.risk.points', { value: String(risk.score) })}</td>
            <td>{t(`risk.${risk.level}`, { defaultValue: risk.level })}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
