/** The bench's printed table: one section per part, plain text that pastes into docs/benchmarks.md as-is. */
import { cpus } from 'node:os';
import type { BuildBench } from './build';
import type { ScaleRow } from './scale';
import type { SqldBench } from './sqld';
import type { LoadResult, SubmitBench } from './submit';
import type { WeightRow } from './weight';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (n: number) => (Number.isNaN(n) ? '—' : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const s = (n: number) => `${(n / 1000).toFixed(1)} s`;

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function printTable(r: {
  submit?: SubmitBench;
  weight?: WeightRow[];
  scale?: ScaleRow[];
  build?: BuildBench;
  sqld?: SqldBench;
  connections: number;
  seconds: number;
}): void {
  const out: string[] = [];
  out.push(
    `Frontline Academy bench — ${new Date().toISOString().slice(0, 16)}Z, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, total ${r.seconds.toFixed(0)} s`,
  );
  if (r.submit) {
    const { ours, baseline, stored } = r.submit;
    out.push(
      '',
      `a. Quiz submission throughput (${r.connections} connections, ${ours.requests} submissions of distinct open attempts by ${r.submit.learners} learners)`,
      '',
    );
    const cpu = (x: typeof ours) => (x.cpuMsPerRequest === undefined ? '—' : `${x.cpuMsPerRequest.toFixed(2)} ms`);
    const row = (name: string, x: typeof ours) => [
      name,
      x.rps.toFixed(0),
      ms(x.p50),
      ms(x.p99),
      cpu(x),
      String(x.non2xx),
      String(x.errors),
    ];
    const cpuRatio =
      ours.cpuMsPerRequest && baseline.cpuMsPerRequest
        ? (ours.cpuMsPerRequest / baseline.cpuMsPerRequest).toFixed(2)
        : '';
    out.push(
      table(
        ['', 'req/s (2xx)', 'p50', 'p99', 'server CPU / req', 'non-2xx', 'errors'],
        [
          row('app: POST quiz.submit', ours),
          row('raw libSQL baseline', baseline),
          [
            'ratio app/baseline',
            `${(ours.rps / baseline.rps).toFixed(2)} (target ≥ 0.6)`,
            (ours.p50 / baseline.p50).toFixed(2),
            `${(ours.p99 / baseline.p99).toFixed(2)} (target ≤ 1.5)`,
            cpuRatio,
            '',
            '',
          ],
        ],
      ),
    );
    const { warmup } = r.submit;
    const warm = (x: LoadResult) => `${x.requests} at ${x.rps.toFixed(0)} req/s, p99 ${ms(x.p99)}, ${x.non2xx} non-2xx`;
    out.push(
      '',
      `Warm-up before the measured run, not counted: app ${warm(warmup.ours)}; baseline ${warm(warmup.baseline)}.`,
    );
    out.push(
      `Stored afterwards: ${stored.submitted} submitted attempts (warm-up included), ${stored.complete} with every answer row.`,
    );
    if (r.submit.profile) {
      out.push(
        '',
        `Where the app's time goes (CPU profile of the server process, start-up included: ${r.submit.profile.dir})`,
        '',
      );
      out.push(
        table(
          ['layer', 'share', 'ms per submission'],
          r.submit.profile.layers.map((l) => [l.layer, `${(l.share * 100).toFixed(1)} %`, l.msPerRequest.toFixed(2)]),
        ),
      );
    }
  }
  if (r.weight) {
    out.push('', 'b. Page weight (gzip, per resource)', '');
    out.push(
      table(
        ['page', 'path', 'status', 'JS on load', 'JS lazy', 'CSS', 'HTML', 'total transfer', 'files', 'note'],
        r.weight.map((w) => [
          w.page,
          w.path,
          String(w.status),
          kb(w.eagerJs),
          kb(w.lazyJs),
          kb(w.css),
          kb(w.html),
          kb(w.total),
          String(w.files),
          w.note ?? '',
        ]),
      ),
    );
  }
  if (r.scale) {
    out.push('', 'c. Scale: sequential requests on a generated organization (warm), full response time', '');
    out.push(
      table(
        ['learners', 'database', 'page', 'status', 'p50', 'p95', 'note'],
        r.scale.map((x) => [
          x.learners.toLocaleString('en'),
          x.database,
          x.page,
          String(x.status),
          ms(x.p50),
          ms(x.p95),
          x.note ?? '',
        ]),
      ),
    );
    const sizes = [...new Set(r.scale.map((x) => x.learners))].sort((a, b) => a - b);
    if (sizes.length > 1) {
      // Growth from the smallest to the largest organization: flat is ×1, linear would be the learners' ratio.
      const [small, large] = [sizes[0]!, sizes.at(-1)!];
      const at = (database: string, page: string, n: number) =>
        r.scale!.find((x) => x.database === database && x.page === page && x.learners === n);
      const seen = [...new Set(r.scale.map((x) => `${x.database}\t${x.page}`))].map(
        (k) => k.split('\t') as [string, string],
      );
      out.push(
        '',
        `Growth of p95 from ${small.toLocaleString('en')} to ${large.toLocaleString('en')} learners (×${(large / small).toFixed(0)} learners: flat is ×1, linear growth would be ×${(large / small).toFixed(0)})`,
        '',
      );
      out.push(
        table(
          [
            'database',
            'page',
            `p95 at ${small.toLocaleString('en')}`,
            `p95 at ${large.toLocaleString('en')}`,
            'growth',
          ],
          seen.map(([database, page]) => {
            const [a, b] = [at(database, page, small)?.p95 ?? NaN, at(database, page, large)?.p95 ?? NaN];
            return [database, page, ms(a), ms(b), Number.isNaN(a / b) ? '—' : `×${(b / a).toFixed(2)}`];
          }),
        ),
      );
    }
  }
  if (r.build) {
    out.push('', 'd. Build and content check (wall time)', '');
    const rows = [];
    const real = r.build.real;
    rows.push([
      'real content',
      'modules' in real ? String(real.modules) : '',
      s(real.buildMs),
      'checkMs' in real ? s(real.checkMs) : '',
    ]);
    if (r.build.generated)
      rows.push([
        '+100 generated modules',
        String(r.build.generated.modules),
        s(r.build.generated.buildMs),
        s(r.build.generated.checkMs),
      ]);
    out.push(table(['content', 'modules', 'astro build', 'content:check'], rows));
  }
  if (r.sqld) {
    const { baseline, one, two } = r.sqld;
    out.push(
      '',
      `e. Quiz submission on a libSQL server (sqld on this machine, HTTP; ${r.sqld.perDrive} submissions per drive, ${r.sqld.connections} connections)`,
      '',
    );
    const row = (name: string, x: LoadResult) => [
      name,
      x.rps.toFixed(0),
      (x.rps / baseline.rps).toFixed(2),
      ms(x.p50),
      ms(x.p99),
      String(x.non2xx),
      String(x.errors),
    ];
    out.push(
      table(
        ['', 'req/s (2xx)', 'vs baseline', 'p50', 'p99', 'non-2xx', 'errors'],
        [
          row('raw @libsql/client baseline', baseline),
          row('app, 1 process', one),
          row('app, 2 processes (WEB_CONCURRENCY=2)', two),
        ],
      ),
    );
    out.push(
      `Stored afterwards: ${r.sqld.stored.submitted} of the ${r.sqld.stored.posted} app attempts posted (warm-ups included) are submitted.`,
    );
  }
  console.log(`\n${out.join('\n')}\n`);
}
