/** The recipient's acknowledgement of the conditions of approval (each listed; one action acknowledges them all). */
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Transfer } from '../api/client';
import { ActionForm, useAction } from './forms';

export function AcknowledgeConditions({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation();
  const { run, busy, problem } = useAction(transfer);
  const open = transfer.conditions.filter((c) => !c.acknowledgedAt);
  return (
    <ActionForm
      id="acknowledge"
      title={t('action.acknowledge_conditions')}
      submit={t('case.acknowledge.submit')}
      busy={busy}
      problem={problem}
      fields={[]}
      onSubmit={() =>
        run(({ id, headers }) =>
          unwrap(
            api.POST('/v1/transfers/{id}/acknowledge-conditions', {
              params: { path: { id } },
              headers,
              body: {},
            }),
          ),
        )
      }
    >
      <p>{t('case.acknowledge.intro')}</p>
      <ol>
        {open.map((c) => (
          <li key={c.id}>{c.text}</li>
        ))}
      </ol>
    </ActionForm>
  );
}
