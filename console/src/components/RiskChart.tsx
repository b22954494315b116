/**
 * The risk score explained: one bar per factor, its length the factor's share of the largest contribution, a
 * credit (negative contribution) drawn to the left in another colour. Every bar carries its value as text, and
 * the chart is a table, so a screen reader reads factor, points and why.
 */
import { useTranslation } from 'react-i18next';
import type { Transfer } from '../api/client';

type Risk = NonNullable<Transfer['risk']>;

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0');

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
                <td>{f.detail}</td>
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
