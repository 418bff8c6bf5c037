import type { ComponentChildren } from 'preact';
import type { Delivery } from '../../api/activity';
import { RelativeTime } from '../../components/RelativeTime';
import { Table } from '../../components/Table';
import { DeliveryStatusBadge } from './DeliveryStatusBadge';

export function DeliveryTable(props: {
  rows: Delivery[];
  endpointUrl: (id: string) => string;
  detailHref: (id: string) => string;
  empty: ComponentChildren;
}) {
  return (
    <Table
      caption="Deliveries, newest first"
      testId="delivery-table"
      columns={['Event', 'Event id', 'Endpoint', 'Status', 'Attempts', 'Last HTTP status', 'Next retry', 'Created']}
      empty={props.empty}
    >
      {props.rows.map((d) => (
        <tr key={d.id} data-delivery-id={d.id}>
          <td>
            <a href={props.detailHref(d.id)}>{d.event_type}</a>
          </td>
          <td class="mono">{d.event_id}</td>
          <td class="mono">{props.endpointUrl(d.endpoint_id)}</td>
          <td>
            <DeliveryStatusBadge status={d.status} />
          </td>
          <td>{d.attempt_count}</td>
          <td>{d.last_status_code ?? (d.attempt_count > 0 ? 'no answer' : '—')}</td>
          <td>{d.status === 'pending' ? <RelativeTime iso={d.next_attempt_at} fallback="now" /> : '—'}</td>
          <td>
            <RelativeTime iso={d.created_at} />
          </td>
        </tr>
      ))}
    </Table>
  );
}
