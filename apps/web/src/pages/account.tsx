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

/** A signed-out form: its fields, the API's error and the submit button, busy while it runs. */
function AuthForm(props: {
  label: string;
  submit: ReturnType<typeof useSubmit>;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <form onSubmit={props.submit.onSubmit} aria-label={props.label}>
      {props.children}
      <ErrorBox error={props.submit.error} />
      <button type="submit" disabled={props.submit.busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}

interface Credentials {
  email: string;
  password: string;
  name?: string;
}

/**
 * Email and password, after "Your name" when the form has one; a new password (sign up,
 * invite) is filled in as one, with its hint.
 */
function CredentialFields(props: {
  value: Credentials;
  set: (k: keyof Credentials) => (v: string) => void;
  errors: Record<string, string>;
  newPassword?: boolean;
  passwordHint?: string;
}) {
  return (
    <>
      {props.value.name !== undefined && (
        <TextField
          label="Your name"
          autoComplete="name"
          value={props.value.name}
          onChange={props.set('name')}
          error={props.errors.name}
        />
      )}
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={props.value.email}
        onChange={props.set('email')}
        error={props.errors.email}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete={props.newPassword ? 'new-password' : 'current-password'}
        required
        hint={props.passwordHint}
        value={props.value.password}
        onChange={props.set('password')}
        error={props.errors.password}
      />
    </>
  );
}

export function LoginPage() {
  const { login } = useSessionActions();
  const navigate = useNavigate();
  const [form, setForm] = useState<Credentials>({ email: '', password: '' });
  const set = (k: keyof Credentials) => (v: string) => setForm({ ...form, [k]: v });
  const s = useSubmit(async () => {
    await login(form.email, form.password);
    navigate('/runs');
  });
  return (
    <AuthFrame title="Log in">
      <AuthForm label="Log in" submit={s} submitLabel="Log in">
        <CredentialFields value={form} set={set} errors={s.fields} />
      </AuthForm>
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
      <AuthForm label="Sign up" submit={s} submitLabel="Create team">
        <TextField
          label="Team name"
          required
          value={form.teamName}
          onChange={set('teamName')}
          error={s.fields.teamName}
        />
        <CredentialFields
          value={form}
          set={set}
          errors={s.fields}
          newPassword
          passwordHint="At least 8 characters."
        />
      </AuthForm>
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
      <AuthForm label="Accept invite" submit={s} submitLabel="Join">
        <CredentialFields value={form} set={set} errors={s.fields} newPassword />
      </AuthForm>
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
