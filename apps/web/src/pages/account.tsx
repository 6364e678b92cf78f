// Signed-out pages: log in, sign up (a new team), accept an invite, redeem a one-time login link.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useSessionActions } from '../session/session.js';
import { ErrorBox, TextField } from '../ui/parts.js';
import { useSubmit } from '../ui/use-submit.js';

function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth">
      <h1>
        <span className="brand">Curio</span> · {title}
      </h1>
      {children}
    </main>
  );
}

export function LoginPage() {
  const { login } = useSessionActions();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const s = useSubmit(async () => {
    await login(email, password);
    navigate('/runs');
  });
  return (
    <AuthFrame title="Log in">
      <form onSubmit={s.onSubmit} aria-label="Log in">
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={setEmail}
          error={s.fields.email}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={s.fields.password}
        />
        <ErrorBox error={s.error} />
        <button type="submit" disabled={s.busy}>
          Log in
        </button>
      </form>
      <p>
        No account? <Link to="/signup">Sign up and create a team</Link>.
      </p>
    </AuthFrame>
  );
}

export function SignupPage() {
  const { signup } = useSessionActions();
  const navigate = useNavigate();
  const [form, setForm] = useState({ email: '', password: '', name: '', teamName: '' });
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const s = useSubmit(async () => {
    await signup({ ...form, name: form.name || undefined });
    navigate('/runs');
  });
  return (
    <AuthFrame title="Sign up">
      <form onSubmit={s.onSubmit} aria-label="Sign up">
        <TextField
          label="Team name"
          required
          value={form.teamName}
          onChange={set('teamName')}
          error={s.fields.teamName}
        />
        <TextField
          label="Your name"
          autoComplete="name"
          value={form.name}
          onChange={set('name')}
          error={s.fields.name}
        />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
          error={s.fields.email}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters."
          value={form.password}
          onChange={set('password')}
          error={s.fields.password}
        />
        <ErrorBox error={s.error} />
        <button type="submit" disabled={s.busy}>
          Create team
        </button>
      </form>
      <p>
        Have an account? <Link to="/login">Log in</Link>.
      </p>
    </AuthFrame>
  );
}

export function AcceptInvitePage() {
  const { token = '' } = useParams();
  const { acceptInvite } = useSessionActions();
  const navigate = useNavigate();
  const [form, setForm] = useState({ email: '', password: '', name: '' });
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const s = useSubmit(async () => {
    await acceptInvite(token, { ...form, name: form.name || undefined });
    navigate('/runs');
  });
  return (
    <AuthFrame title="Join a team">
      <p>You were invited to a Curio team. Choose how you will log in.</p>
      <form onSubmit={s.onSubmit} aria-label="Accept invite">
        <TextField
          label="Your name"
          autoComplete="name"
          value={form.name}
          onChange={set('name')}
          error={s.fields.name}
        />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
          error={s.fields.email}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={set('password')}
          error={s.fields.password}
        />
        <ErrorBox error={s.error} />
        <button type="submit" disabled={s.busy}>
          Join
        </button>
      </form>
    </AuthFrame>
  );
}

export function LoginLinkPage() {
  const { token = '' } = useParams();
  const { redeemLoginLink } = useSessionActions();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const tried = useRef(false);
  useEffect(() => {
    if (tried.current) return; // a link is single-use: redeem it once, even in StrictMode
    tried.current = true;
    redeemLoginLink(token).then(() => navigate('/runs', { replace: true }), setError);
  }, [token, redeemLoginLink, navigate]);
  return (
    <AuthFrame title="Logging in">
      {error ? (
        <>
          <ErrorBox error={error} />
          <p>
            <Link to="/login">Log in with your email and password</Link>.
          </p>
        </>
      ) : (
        <p aria-live="polite">Logging you in…</p>
      )}
    </AuthFrame>
  );
}
