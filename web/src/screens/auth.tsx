import { useSubmit } from '../hooks.js';
import { LoginForm } from '../login-form.js';
import { Link, navigate } from '../router.js';
import { api } from '../session.js';
import { ErrorNote, Screen, formValues } from '../ui.js';

/** Where to go after logging in: the page that asked for it (`?next=`), else the events. */
function next(): string {
  const n = new URLSearchParams(location.search).get('next');
  return n && n.startsWith('/') && !n.startsWith('//') ? n : '/';
}

export function Login() {
  return (
    <Screen title="Log in">
      <LoginForm
        login={async (email, password) => {
          await api.login(email, password);
          navigate(next(), true);
        }}
      >
        <p>
          New here? <Link href={`/register${location.search}`}>Create an account</Link>
        </p>
      </LoginForm>
    </Screen>
  );
}

export function Register() {
  const { busy, error, run } = useSubmit();
  const submit = (e: Event) => {
    const f = formValues(e);
    return run(async () => {
      await api.register({
        email: f.email!,
        phone: f.phone!.replace(/[\s-]/g, ''),
        password: f.password!,
        ...(f.name ? { name: f.name } : {}),
      });
      await api.login(f.email!, f.password!);
      navigate(next(), true);
    });
  };
  return (
    <Screen title="Create your account">
      <form class="card form" onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input name="name" autocomplete="name" maxLength={100} />
        </label>
        <label>
          Email
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <label>
          Mobile number <span class="muted">(for security codes, with country code)</span>
          <input name="phone" type="tel" autocomplete="tel" placeholder="+65 9123 4567" required />
        </label>
        <label>
          Password <span class="muted">(at least 8 characters)</span>
          <input name="password" type="password" autocomplete="new-password" minLength={8} required />
        </label>
        <ErrorNote text={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <p>
          Have an account? <Link href={`/login${location.search}`}>Log in</Link>
        </p>
      </form>
    </Screen>
  );
}
