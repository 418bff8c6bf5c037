import type { ComponentChildren } from 'preact';

/** A real table: a caption (visually hidden unless asked), column header cells, body rows. */
export function Table(props: {
  caption: string;
  showCaption?: boolean;
  columns: (string | { label: string; hidden?: boolean })[];
  children: ComponentChildren;
  empty?: ComponentChildren;
  testId?: string;
}) {
  return (
    <div class="table-wrap">
      <table data-testid={props.testId}>
        <caption class={props.showCaption ? undefined : 'sr-only'}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => {
              const col = typeof c === 'string' ? { label: c } : c;
              return (
                <th scope="col" key={col.label}>
                  {col.hidden ? <span class="sr-only">{col.label}</span> : col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
      {props.empty ? <div class="empty">{props.empty}</div> : null}
    </div>
  );
}
