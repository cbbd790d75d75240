import { ApiError } from '@ticketgate/ui/api';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorNote, Note } from '../../ui.js';
import { api, opsErrorText } from '../api.js';
import { DataTable } from './data-table.js';

type Phase = { k: 'idle' } | { k: 'reading'; pct: number } | { k: 'sending' } | { k: 'done'; text: string } | { k: 'failed' };

interface LineProblem {
  line: string;
  message: string;
}

/** A file's text, reporting how much of it has been read (large seat lists take a moment). */
function readFile(file: File, onProgress: (pct: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(new Error('The file could not be read.'));
    r.readAsText(file);
  });
}

/**
 * A CSV import: a file (or pasted text) sent as text/csv, progress while it is
 * read and sent, and the server's verdict, with every bad line it reported in a
 * table (the server imports nothing from a file with a bad line, so one fix-up pass
 * covers them all).
 */
export function CsvImport<T>({
  id,
  title,
  path,
  example,
  describe,
  onDone,
  children,
}: {
  id: string;
  title: string;
  /** Where to POST, or null while the form lacks a choice (the event). */
  path: string | null;
  example: string;
  describe: (result: T) => string;
  onDone?: () => void;
  children?: ComponentChildren;
}) {
  const [phase, setPhase] = useState<Phase>({ k: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<LineProblem[]>([]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!path) return;
    const form = e.currentTarget as HTMLFormElement;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    const pasted = (form.elements.namedItem('text') as HTMLTextAreaElement).value;
    setError(null);
    setProblems([]);
    try {
      let text = pasted;
      if (file) {
        setPhase({ k: 'reading', pct: 0 });
        text = await readFile(file, (pct) => setPhase({ k: 'reading', pct }));
      }
      if (!text.trim()) throw new Error('Choose a CSV file or paste its lines.');
      setPhase({ k: 'sending' });
      const result = await api.postText<T>(path, text);
      setPhase({ k: 'done', text: describe(result) });
      onDone?.();
    } catch (err) {
      setPhase({ k: 'failed' });
      setError(opsErrorText(err));
      if (err instanceof ApiError) setProblems(err.details.map((d) => ({ line: d.field, message: d.message })));
    }
  };

  const busy = phase.k === 'reading' || phase.k === 'sending';
  return (
    <form class="card form" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
      <label>
        CSV file
        <input name="file" type="file" accept=".csv,text/csv" />
      </label>
      <label>
        Or paste the lines <span class="muted">(for example: {example})</span>
        <textarea name="text" rows={4} spellcheck={false} />
      </label>
      <button type="submit" class="primary" disabled={busy || !path}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {phase.k === 'reading' ? (
        <label>
          Reading the file
          <progress max={100} value={phase.pct} />
        </label>
      ) : null}
      {phase.k === 'sending' ? (
        <label>
          Sending and checking every line
          <progress />
        </label>
      ) : null}
      {phase.k === 'done' ? <Note text={phase.text} /> : null}
      <ErrorNote text={error} />
      {problems.length ? (
        <DataTable
          caption={`Lines to fix (${problems.length})`}
          label={`${id}-errors`}
          columns={[
            { title: 'Line', cell: (p) => p.line },
            { title: 'Problem', cell: (p) => p.message },
          ]}
          rows={problems}
          rowKey={(p) => `${p.line}:${p.message}`}
          empty=""
        />
      ) : null}
    </form>
  );
}
