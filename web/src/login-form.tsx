import { errorText } from '@ticketgate/ui/errors';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorNote, formValues } from './ui.js';

/** Email and password, the busy state and the server's refusal in words: the fan app's and the console's log-in. */
export function LoginForm({
  login,
  children,
}: {
  login: (email: string, password: string) => Promise<void>;
  children?: ComponentChildren;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    const f = formValues(e);
    setBusy(true);
    try {
      await login(f.email!, f.password!);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={(e) => void submit(e)}>
      <label>
        Email
        <input name="email" type="email" autocomplete="username" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <ErrorNote text={error} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Logging in…' : 'Log in'}
      </button>
      {children}
    </form>
  );
}
