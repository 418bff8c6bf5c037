import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { Announcer } from './components/Announcer';
import { SessionProvider } from './session';
import { RequireSession } from './shell/RequireSession';
import { Layout } from './shell/Layout';
import { LoginPage } from './pages/login/LoginPage';
import { IntegrationsPage } from './pages/integrations/IntegrationsPage';
import { IntegrationPage } from './pages/integrations/IntegrationPage';
import { EventsPage } from './pages/events/EventsPage';
import { InventoryPage } from './pages/inventory/InventoryPage';
import { OrdersPage } from './pages/orders/OrdersPage';
import { ApiReferencePage } from './pages/reference/ApiReferencePage';

/** `/` is the dashboard's home: Channels > Custom Integration. */
function Home() {
  const { route } = useLocation();
  useEffect(() => route('/integrations', true), [route]);
  return null;
}

function NotFound() {
  return (
    <Layout title="Not found">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <a href="/integrations">Go to Custom Integration</a>.
      </p>
    </Layout>
  );
}

/**
 * Every page path. Integration tabs are one component (IntegrationPage) that reads the tab
 * from the path; pages owned by other areas live in their own folder under pages/.
 */
function Pages() {
  return (
    <RequireSession>
      <Router>
        <Route path="/" component={Home} />
        <Route path="/integrations" component={IntegrationsPage} />
        <Route path="/integrations/:id" component={IntegrationPage} />
        <Route path="/integrations/:id/:tab" component={IntegrationPage} />
        <Route path="/integrations/:id/:tab/:sub*" component={IntegrationPage} />
        <Route path="/events/*" component={EventsPage} />
        <Route path="/events" component={EventsPage} />
        <Route path="/inventory/*" component={InventoryPage} />
        <Route path="/inventory" component={InventoryPage} />
        <Route path="/orders/*" component={OrdersPage} />
        <Route path="/orders" component={OrdersPage} />
        <Route path="/reference/*" component={ApiReferencePage} />
        <Route path="/reference" component={ApiReferencePage} />
        <Route default component={NotFound} />
      </Router>
    </RequireSession>
  );
}

function Root() {
  const { path } = useLocation();
  return path === '/login' ? <LoginPage /> : <Pages />;
}

export function App() {
  return (
    <LocationProvider>
      <Announcer>
        <SessionProvider>
          <Root />
        </SessionProvider>
      </Announcer>
    </LocationProvider>
  );
}
