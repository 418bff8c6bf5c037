import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../../api/client';
import { FormError, TextField } from '../../components/FormField';
import { safeNext, useSession } from '../../session';

export function LoginPage() {
  const { session, login } = useSession();
  const { query, route } = useLocation();
  const next = safeNext(query.next);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    document.title = 'Log in · WatchTraderHub';
  }, []);
  useEffect(() => {
    if (session) route(next, true);
  }, [session, next, route]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err
          : new ApiError(0, { type: 'client', code: 'client', message: 'Login failed. Try again.' }),
      );
      setBusy(false);
    }
  };

  // Wrong credentials name no field: the message belongs to the form. Throttling says when to retry.
  const formMessage =
    error && !error.param
      ? error.status === 429
        ? `Too many login attempts. Try again in ${Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60))} minute(s).`
        : error.code === 'invalid_credentials'
          ? 'Wrong email or password. Check both and try again.'
          : error.message
      : null;

  return (
    <main id="main" class="login">
      <h1>Log in to WatchTraderHub</h1>
      <p class="hint">Your dealer dashboard: Custom Integration, inventory, orders and webhooks.</p>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <FormError message={formMessage} />
        <TextField
          id="login-email"
          label="Email"
          type="email"
          autocomplete="username"
          required
          value={email}
          onValue={setEmail}
          error={error?.forField('email')}
        />
        <TextField
          id="login-password"
          label="Password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onValue={setPassword}
          error={error?.forField('password')}
        />
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
