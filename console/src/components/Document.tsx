/**
 * A stored document (GET /v1/documents/:id, with the session's token): open it in a new tab or download it under
 * a readable file name. The API keeps no file name, so the name is what the document is (its material kind, or
 * "agreement") with the extension of its media type.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';

const extensions: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/plain': 'txt',
  'application/json': 'json',
};

/** The file extension of a media type the API stores (undefined for others). */
export function extensionOf(mediaType: string): string | undefined {
  return extensions[mediaType.split(';')[0]!.trim().toLowerCase()];
}

export function fileNameFor(base: string, mediaType: string): string {
  const ext = extensionOf(mediaType) ?? 'bin';
  return `${base.replace(/[^A-Za-z0-9._-]+/g, '-')}.${ext}`;
}

/** The bytes of a document, through the typed client (a 401 ends the session like any other call). */
export function fetchDocument(id: string): Promise<Blob> {
  return unwrap<Blob>(api.GET('/v1/documents/{id}', { params: { path: { id } }, parseAs: 'blob' }));
}

/** Save a blob under a file name (a temporary link with `download`). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "Open" and "Download" for one document; `label` names it for screen readers (the buttons say which). */
export function DocumentButtons({ id, name, label }: { id: string; name: string; label: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const blob = await fetchDocument(id);
      saveBlob(blob, fileNameFor(name, blob.type));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const open = async () => {
    // opened now, while the click still counts as the user's, and pointed at the document once it is here
    const tab = window.open('', '_blank');
    setError(undefined);
    try {
      const blob = await fetchDocument(id);
      const url = URL.createObjectURL(blob);
      if (tab) tab.location.href = url;
      else saveBlob(blob, fileNameFor(name, blob.type));
    } catch (err) {
      tab?.close();
      setError((err as Error).message);
    }
  };
  return (
    <span className="doc-buttons">
      <button
        type="button"
        className="secondary"
        onClick={() => void open()}
        aria-label={t('case.doc.openLabel', { name: label })}
      >
        {t('case.doc.open')}
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() => void download()}
        disabled={busy}
        aria-label={t('case.doc.downloadLabel', { name: label })}
      >
        {t('case.doc.download')}
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </span>
  );
}
