import { errorText } from '@ticketgate/ui/errors';
import { useState } from 'preact/hooks';
import { ErrorNote } from '../../ui.js';

/**
 * A consequential action behind a second step: the first button opens a box
 * that says what will happen (and, with `reasonLabel`, asks why); only its
 * confirm button acts. The server decides again; its refusal is shown here.
 */
export function ConfirmAction({
  label,
  consequence,
  confirmLabel,
  reasonLabel,
  danger,
  onConfirm,
}: {
  label: string;
  /** One sentence: what confirming does. */
  consequence: string;
  confirmLabel: string;
  /** Asks for a reason (required) when given. */
  reasonLabel?: string;
  danger?: boolean;
  onConfirm: (reason: string) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open)
    return (
      <button type="button" class={danger ? 'danger' : undefined} onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      setOpen(false);
      setReason('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form confirm card" onSubmit={(e) => void submit(e)} aria-label={label}>
      <p>{consequence}</p>
      {reasonLabel ? (
        <label>
          {reasonLabel}
          <textarea value={reason} onInput={(e) => setReason(e.currentTarget.value)} rows={2} maxLength={500} required />
        </label>
      ) : null}
      <div class="row-actions">
        <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </button>
      </div>
      <ErrorNote text={error} />
    </form>
  );
}
