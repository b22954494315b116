/**
 * One document (/documents/sha256:<hex>?name=<file name>): the API serves its bytes only with a bearer token,
 * so a plain link cannot open it. This page fetches it with the session's token and offers it to download or
 * open under its file name. A link to it survives sign-in like any other page.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { extensionOf, fetchDocument } from '../components/Document';
import { ProblemSummary } from '../components/form';
import { useProblem } from './common';

/** The name to save under: the one the link gives (without path parts), else one made from the digest. */
export function fileNameOf(id: string, mediaType: string, given?: string): string {
  const clean = given
    ?.split(/[/\\]/)
    .pop()
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  if (clean) return clean;
  const ext = extensionOf(mediaType);
  return `document-${id.replace(/^sha256:/, '').slice(0, 12)}${ext ? `.${ext}` : ''}`;
}

export function DocumentPage({ id, filename }: { id: string; filename?: string }) {
  const { t, i18n } = useTranslation();
  const doc = useQuery({
    queryKey: ['document', id],
    queryFn: () => fetchDocument(id),
    staleTime: Infinity, // content-addressed: the bytes never change
  });
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!doc.data) return undefined;
    const u = URL.createObjectURL(doc.data);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [doc.data]);
  const problem = useProblem(doc.error);

  if (doc.isPending) return <p role="status">{t('common.loading')}</p>;
  if (!doc.data)
    return (
      <>
        <h1>{t('document.notFound')}</h1>
        <ProblemSummary problem={problem} />
      </>
    );
  const mediaType = doc.data.type || 'application/octet-stream';
  const name = fileNameOf(id, mediaType, filename);
  return (
    <>
      <h1>{name}</h1>
      <dl className="facts">
        <div>
          <dt>{t('document.type')}</dt>
          <dd>{mediaType}</dd>
        </div>
        <div>
          <dt>{t('document.size')}</dt>
          <dd>
            {t('document.bytes', {
              count: doc.data.size,
              formatted: doc.data.size.toLocaleString(i18n.language),
            })}
          </dd>
        </div>
        <div>
          <dt>{t('document.digest')}</dt>
          <dd>
            <code className="digest">{id}</code>
          </dd>
        </div>
      </dl>
      <p className="hint">{t('document.verified')}</p>
      {url && (
        <p className="document-actions">
          <a className="button" href={url} download={name}>
            {t('document.download', { name })}
          </a>{' '}
          <a href={url} target="_blank" rel="noopener noreferrer">
            {t('document.open')}
          </a>
        </p>
      )}
    </>
  );
}
