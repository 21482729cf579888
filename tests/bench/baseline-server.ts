/**
 * The raw baseline for the submission bench: a bare node:http handler that, per request, reads the body, finds the
 * attempt id in it and runs ONE libSQL write transaction of the same size as a real submit — the attempt's
 * conditional update, its quiz_answer rows and its standard_result rows — with nothing else (no framework, no
 * session, no grading). Rows come precomputed from the job file. Same client settings as the app (busy timeout,
 * WAL), one connection so transactions queue in JavaScript exactly like the app's write queue.
 *
 * Run: node --import tsx tests/bench/baseline-server.ts  with BASELINE_DB (or BASELINE_URL), BASELINE_JOBS, PORT.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createClient, type InValue } from '@libsql/client';

interface Job {
  userId: string;
  answers: [string, string, number, string][];
  standards: [string, string, string, number][];
}

const jobs = new Map<string, Job>(
  Object.entries(JSON.parse(readFileSync(process.env.BASELINE_JOBS!, 'utf8')) as Record<string, Job>),
);
// BASELINE_URL: a libSQL server instead of the file (bench part e), with the client's defaults for a server.
const server = process.env.BASELINE_URL;
const client = server
  ? createClient({ url: server })
  : createClient({ url: `file:${process.env.BASELINE_DB}`, timeout: 10_000, concurrency: 1 });
if (!server) await client.execute('PRAGMA journal_mode = WAL');
const ATTEMPT = /name="attempt"\r\n\r\n([a-z0-9]+)\r\n/;

const http = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      const id = ATTEMPT.exec(Buffer.concat(chunks).toString())?.[1];
      const job = id ? jobs.get(id) : undefined;
      if (!id || !job) {
        res.writeHead(404).end();
        return;
      }
      const at = Date.now();
      const tx = await client.transaction('write');
      try {
        const won = await tx.execute({
          sql: `UPDATE quiz_attempt SET status = 'submitted', submitted_at = ?, score = ?, passed = ? WHERE id = ? AND user_id = ? AND status = 'open'`,
          args: [at, 80, 1, id, job.userId],
        });
        if (won.rowsAffected !== 1) throw new Error('already submitted');
        await tx.execute({
          sql: `INSERT INTO quiz_answer (attempt_id, question_id, chosen, correct, standards) VALUES ${job.answers.map(() => '(?,?,?,?,?)').join(',')}`,
          args: job.answers.flatMap(
            ([q, chosen, correct, standards]) => [id, q, chosen, correct, standards] as InValue[],
          ),
        });
        if (job.standards.length > 0) {
          await tx.execute({
            sql: `INSERT INTO standard_result (id, user_id, standard_id, source, source_id, ok, at) VALUES ${job.standards.map(() => '(?,?,?,?,?,?,?)').join(',')}`,
            args: job.standards.flatMap(
              ([rowId, standard, source, ok]) => [rowId, job.userId, standard, source, id, ok, at] as InValue[],
            ),
          });
        }
        await tx.commit();
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } catch (e) {
        res.writeHead(409, { 'content-type': 'text/plain' }).end(String(e));
      } finally {
        tx.close();
      }
    })();
  });
});
http.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`baseline listening on ${process.env.PORT}`));
process.on('SIGTERM', () => http.close(() => process.exit(0)));
