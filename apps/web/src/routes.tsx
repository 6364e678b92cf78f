// Every page and its URL. Signed-out visitors see only the account pages.
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Shell } from './layout/shell.js';
import { AcceptInvitePage, LoginLinkPage, LoginPage, SignupPage } from './pages/account.js';
import { ComparePage } from './pages/compare.js';
import { EvalSetsPage } from './pages/eval-sets.js';
import { ExperimentPage, ExperimentsPage, NewExperimentPage } from './pages/experiments.js';
import { KeysPage } from './pages/keys.js';
import { MetadataSetPage, MetadataSetsPage } from './pages/metadata-sets.js';
import { PoolPage, PoolsPage } from './pages/pools.js';
import { RunPage } from './pages/run/run-page.js';
import { RunsPage } from './pages/runs.js';
import { SchedulesPage } from './pages/schedules.js';
import { TeamPage } from './pages/team.js';
import { SessionProvider } from './session/session.js';

export function AppRoutes() {
  return (
    <BrowserRouter>
      <SessionProvider>
        {(session) => (
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
