import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { login } from '../session.js';
import { useStore } from '../store.js';

export function Login() {
  const s = useStore();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) {
      setError('Enter your email and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (err) {
      setError(err.status === 401 || err.status === 422 || err.status === 403
        ? 'Wrong email or password.' : err.message);
      setBusy(false);
    }
  }

  return html`<main class="login-page">
    <form class="login-card" onSubmit=${submit} novalidate>
      <div class="login-brand">
        <img src="/app/favicon.svg" alt="" width="36" height="36"/>
        <span>Parley</span>
      </div>
      <h1>Sign in to your inbox</h1>
      ${s.authNotice && !error ? html`<p class="form-notice" role="status">${s.authNotice}</p>` : null}
      ${error ? html`<p class="form-error" role="alert" id="login-error">${error}</p>` : null}
      <label class="field">
        <span>Email</span>
        <input type="email" name="email" autocomplete="username" required autofocus value=${email}
          aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'login-error' : undefined}
          onInput=${(e) => setEmail(e.currentTarget.value)}/>
      </label>
      <label class="field">
        <span>Password</span>
        <input type="password" name="password" autocomplete="current-password" required value=${password}
          aria-invalid=${error ? 'true' : 'false'} onInput=${(e) => setPassword(e.currentTarget.value)}/>
      </label>
      <button type="submit" class="btn btn-primary btn-block" disabled=${busy}>
        ${busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  </main>`;
}
