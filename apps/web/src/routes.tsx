// Every page and its URL. Signed-out visitors see only the account pages.
import { lazy, Suspense, type ComponentType } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Shell } from './layout/shell.js';
import { AcceptInvitePage, LoginLinkPage, LoginPage, SignupPage } from './pages/account.js';
import { RunsPage } from './pages/runs.js';
import { SessionProvider } from './session/session.js';
import { Loading } from './ui/parts.js';

/** A page loaded with its module when first shown (charts and schemas stay out of the login page). */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}
const RunPage = page(() => import('./pages/run/run-page.js'), 'RunPage');
const ComparePage = page(() => import('./pages/compare.js'), 'ComparePage');
const ExperimentsPage = page(() => import('./pages/experiments.js'), 'ExperimentsPage');
const ExperimentPage = page(() => import('./pages/experiments.js'), 'ExperimentPage');
const NewExperimentPage = page(() => import('./pages/experiment-form.js'), 'NewExperimentPage');
const PoolsPage = page(() => import('./pages/pools.js'), 'PoolsPage');
const PoolPage = page(() => import('./pages/pools.js'), 'PoolPage');
const MetadataSetsPage = page(() => import('./pages/metadata-sets.js'), 'MetadataSetsPage');
const MetadataSetPage = page(() => import('./pages/metadata-sets.js'), 'MetadataSetPage');
const EvalSetsPage = page(() => import('./pages/eval-sets.js'), 'EvalSetsPage');
const SchedulesPage = page(() => import('./pages/schedules.js'), 'SchedulesPage');
const KeysPage = page(() => import('./pages/keys.js'), 'KeysPage');
const TeamPage = page(() => import('./pages/team.js'), 'TeamPage');

export function AppRoutes() {
  return (
    <BrowserRouter>
      <SessionProvider>
        {(session) => (
          <Suspense fallback={<Loading what="the page" />}>
            <Routes>
              <Route path="/invite/:token" element={<AcceptInvitePage />} />
              <Route path="/login/:token" element={<LoginLinkPage />} />
              {session ? (
                <Route element={<Shell />}>
                  <Route path="/" element={<Navigate to="/runs" replace />} />
                  <Route path="/runs" element={<RunsPage />} />
                  <Route path="/runs/:id" element={<RunPage />} />
                  <Route path="/compare" element={<ComparePage />} />
                  <Route path="/experiments" element={<ExperimentsPage />} />
                  <Route path="/experiments/new" element={<NewExperimentPage />} />
                  <Route path="/experiments/:id" element={<ExperimentPage />} />
                  <Route path="/pools" element={<PoolsPage />} />
                  <Route path="/pools/:id" element={<PoolPage />} />
                  <Route path="/metadata-sets" element={<MetadataSetsPage />} />
                  <Route path="/metadata-sets/:id" element={<MetadataSetPage />} />
                  <Route path="/eval-sets" element={<EvalSetsPage />} />
                  <Route path="/schedules" element={<SchedulesPage />} />
                  <Route path="/keys" element={<KeysPage />} />
                  <Route path="/team" element={<TeamPage />} />
                  <Route path="/login" element={<Navigate to="/runs" replace />} />
                  <Route path="/signup" element={<Navigate to="/runs" replace />} />
                  <Route path="*" element={<NotFound />} />
                </Route>
              ) : (
                <>
                  <Route path="/signup" element={<SignupPage />} />
                  <Route path="*" element={<LoginPage />} />
                </>
              )}
            </Routes>
          </Suspense>
        )}
      </SessionProvider>
    </BrowserRouter>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
    </section>
  );
}
