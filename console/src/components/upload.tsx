/**
 * Uploading a material: drag-and-drop onto the zone or the file chooser (the keyboard's way in), sent with
 * XMLHttpRequest so the upload's progress can be shown (fetch cannot report it). POST /v1/documents takes the
 * raw bytes with the file's content type and answers the content digest id.
 */
import { useId, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError, type Problem } from '../api/client';
import { currentSession } from '../session';
import { useFieldError } from './form';

export interface Uploaded {
  id: string;
  size: number;
  mediaType: string;
  filename: string;
}

const byExtension: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  txt: 'text/plain',
  json: 'application/json',
};

/** The file's media type, from the browser or else from its extension. */
export function mediaTypeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return byExtension[ext] ?? 'application/octet-stream';
}

export const ACCEPT = 'application/pdf,image/png,image/jpeg,text/plain,application/json';

function problemOf(status: number, detail: string): Problem {
  return { type: 'about:blank', title: detail, status, detail, instance: '' };
}

/** POST /v1/documents with progress (0..1); resolves with the stored document, rejects with a ProblemError. */
export function uploadWithProgress(file: File, onProgress: (fraction: number) => void): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/documents');
    const session = currentSession();
    if (session) xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.setRequestHeader('Content-Type', mediaTypeOf(file));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201) {
        onProgress(1);
        const d = body as { id: string; size: number; mediaType: string };
        resolve({ ...d, filename: file.name });
        return;
      }
      const p = body as Partial<Problem> | undefined;
      reject(
        new ProblemError(
          p && typeof p.detail === 'string'
            ? { ...problemOf(xhr.status, ''), ...(p as Problem) }
            : problemOf(xhr.status, `HTTP ${xhr.status}`),
        ),
      );
    };
    xhr.onerror = () => reject(new ProblemError(problemOf(0, 'The server cannot be reached.')));
    xhr.send(file);
  });
}

export function formatSize(bytes: number, lng: string): string {
  const units = ['B', 'KiB', 'MiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${new Intl.NumberFormat(lng, { maximumFractionDigits: u === 0 ? 0 : 1 }).format(v)} ${units[u]}`;
}

/**
 * A labelled drop zone with a file chooser, a progress bar while the file goes up, and the stored document
 * (filename, size, digest) once it is there. `pointer` names the field for problem+json errors.
 */
export function DropZone(props: {
  label: string;
  pointer?: string;
  value?: Uploaded;
  onUploaded: (d: Uploaded) => void;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [progress, setProgress] = useState<number>();
  const [over, setOver] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const fieldError = useFieldError(props.pointer);
  const error = problem?.detail ?? fieldError;

  const send = (file: File | undefined) => {
    if (!file) return;
    setProblem(undefined);
    setProgress(0);
    uploadWithProgress(file, setProgress)
      .then((d) => {
        setProgress(undefined);
        props.onUploaded(d);
      })
      .catch((err: unknown) => {
        setProgress(undefined);
        setProblem(
          err instanceof ProblemError ? err.problem : problemOf(0, (err as Error).message ?? 'failed'),
        );
      });
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    send(e.dataTransfer.files[0]);
  };
  const describedBy = [`${id}-hint`, error ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      data-testid={props.testId}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label htmlFor={id}>{props.label}</label>
      <p id={`${id}-hint`} className="hint">
        {t('apply.upload.hint')}
      </p>
      <input
        id={id}
        type="file"
        accept={ACCEPT}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          send(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      {progress !== undefined && (
        <div className="upload-progress">
          <progress
            max={1}
            value={progress}
            aria-label={t('apply.upload.progress', { label: props.label })}
          />{' '}
          <span>{Math.round(progress * 100)}%</span>
        </div>
      )}
      {props.value && progress === undefined && (
        <dl className="uploaded" aria-label={t('apply.upload.stored', { label: props.label })}>
          <div>
            <dt>{t('apply.upload.filename')}</dt>
            <dd>{props.value.filename}</dd>
          </div>
          <div>
            <dt>{t('apply.upload.size')}</dt>
            <dd>{formatSize(props.value.size, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t('apply.upload.digest')}</dt>
            <dd>
              <code className="digest">{props.value.id}</code>
            </dd>
          </div>
        </dl>
      )}
      {error && (
        <p id={`${id}-err`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
