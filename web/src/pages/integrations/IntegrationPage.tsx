import { useRoute } from 'preact-iso';
import * as dashboard from '../../api/dashboard';
import type { IntegrationDetail } from '../../api/types';
import { ModeBadge } from '../../components/Badges';
import { FormError } from '../../components/FormField';
import { errorMessage, useAsync } from '../../components/useAsync';
import { Layout } from '../../shell/Layout';
import { DeliveryLogTab } from '../deliveries/DeliveryLogTab';
import { OverviewTab } from './OverviewTab';
import { KeysTab } from './KeysTab';
import { SettingsTab } from './SettingsTab';

const TABS = [
  { tab: '', label: 'Overview' },
  { tab: 'keys', label: 'API keys' },
  { tab: 'settings', label: 'Settings' },
  { tab: 'deliveries', label: 'Delivery Log' },
] as const;

/** One integration: its name and mode on top, then tabs as links (each tab has its own URL). */
export function IntegrationPage() {
  const { params } = useRoute();
  const id = params.id as string;
  const tab = params.tab ?? '';
  const sub = params.sub;
  // Refetched per tab: the checklist and mode reflect what the other tabs just changed.
  const detail = useAsync(() => dashboard.getIntegration(id), [id, tab]);
  const integration = detail.data;
  const notFound = detail.error?.status === 404 || detail.error?.status === 400;
  const current = TABS.find((t) => t.tab === tab);

  return (
    <Layout title={integration ? `${integration.name} · ${current?.label ?? ''}` : 'Custom Integration'}>
      <p class="breadcrumb">
        <a href="/integrations">Channels › Custom Integration</a>
      </p>
      {detail.error && !notFound ? <FormError message={errorMessage(detail.error)} /> : null}
      {notFound ? (
        <>
          <h1>Integration not found</h1>
          <p>
            It does not exist or belongs to another account. <a href="/integrations">See your integrations</a>.
          </p>
        </>
      ) : null}
      {integration ? (
        <>
          <div class="page-title">
            <h1>{integration.name}</h1>
            <ModeBadge live={integration.live_enabled} />
          </div>
          <nav aria-label="Integration sections">
            <ul class="tabs">
              {TABS.map((t) => (
                <li key={t.tab}>
                  <a
                    href={`/integrations/${id}${t.tab ? `/${t.tab}` : ''}`}
                    aria-current={t.tab === tab ? 'page' : undefined}
                  >
                    {t.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <TabContent integration={integration} tab={tab} sub={sub} onChange={detail.reload} />
        </>
      ) : null}
    </Layout>
  );
}

function TabContent(props: {
  integration: IntegrationDetail;
  tab: string;
  sub?: string;
  onChange: () => Promise<void>;
}) {
  const { integration, tab, sub } = props;
  switch (tab) {
    case '':
      return <OverviewTab integration={integration} onChange={props.onChange} />;
    case 'keys':
      return <KeysTab integration={integration} onChange={props.onChange} />;
    case 'settings':
      return <SettingsTab integration={integration} path={sub} onChange={props.onChange} />;
    case 'deliveries':
      return <DeliveryLogTab integration={integration} deliveryId={sub} />;
    default:
      return <p>There is no such tab.</p>;
  }
}
