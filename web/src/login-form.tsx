import type { ComponentChildren } from 'preact';
import { useSubmit } from './hooks.js';
import { ErrorNote, formValues } from './ui.js';

/** Email and password, the busy state and the server's refusal in words: the fan app's and the console's log-in. */
export function LoginForm({
  login,
  describe,
  children,
}: {
  login: (email: string, password: string) => Promise<void>;
  /** How a refusal reads (the fan app's general sentences by default). */
  describe?: (err: unknown) => string;
  children?: ComponentChildren;
}) {
  const { busy, error, run } = useSubmit(describe);
  const submit = (e: Event) => {
    const f = formValues(e);
    return run(() => login(f.email!, f.password!));
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
