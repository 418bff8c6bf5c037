// Prints the API route list for README.md from the OpenAPI document the server serves, so the
// README lists exactly what is served (test/api/readme-routes.test.ts checks it stays so).
//   tsx scripts/print-routes.ts [http://127.0.0.1:3000/api/v1/openapi.json]

export interface OpenApiDocument {
  paths: Record<string, Record<string, { summary?: string }>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const SECTIONS = [
  { prefix: '/api/v1/', title: 'Public API, `Authorization: Bearer wth_…`' },
  { prefix: '/api/dashboard/', title: 'Dashboard API, session cookie (+ `X-CSRF-Token` on changes)' },
];

/** One Markdown list per API: `` - `GET /api/v1/me` — summary ``, in the document's order. */
export function routeList(doc: OpenApiDocument): string {
  const out: string[] = [];
  for (const { prefix, title } of SECTIONS) {
    out.push(`${title}:`, '');
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith(prefix)) continue;
      for (const m of METHODS) {
        const op = ops[m];
        if (op) out.push(`- \`${m.toUpperCase()} ${path}\` — ${(op.summary ?? '').trim()}`);
      }
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

if (require.main === module) {
  const url = process.argv[2] ?? 'http://127.0.0.1:3000/api/v1/openapi.json';
  fetch(url)
    .then(async (res) => {
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      process.stdout.write(`${routeList((await res.json()) as OpenApiDocument)}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`[print-routes] ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
