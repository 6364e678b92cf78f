// The signed-in layout: a header with the team, the navigation and logout, then the page.
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useSession, useSessionActions } from '../session/session.js';

const NAV = [
  ['/runs', 'Runs'],
  ['/compare', 'Compare'],
  ['/experiments', 'Experiments'],
  ['/pools', 'Pools'],
  ['/metadata-sets', 'Metadata'],
  ['/eval-sets', 'Eval sets'],
  ['/schedules', 'Schedules'],
  ['/keys', 'API keys'],
  ['/team', 'Team'],
] as const;

export function Shell() {
  const session = useSession();
  const { logout } = useSessionActions();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Curio</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to}>{label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {session.user.email} · {session.team.name} ({session.role})
          </span>
          <button
            type="button"
            onClick={async () => {
              await logout();
              navigate('/login');
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}
