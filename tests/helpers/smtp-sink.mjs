/**
 * A real SMTP server (the `smtp-server` package, the server half of nodemailer's project), run as its own process
 * by tests/helpers/processes.ts. It listens on 127.0.0.1 (port from argv[2], 0 for any), takes AUTH PLAIN/LOGIN
 * with user `mailer` and password `mail-secret` over plain TCP, and prints one JSON line per message received:
 * {"from": envelope sender, "to": [envelope recipients], "raw": base64 of the message as it arrived}.
 */
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  authMethods: ['PLAIN', 'LOGIN'],
  onAuth(auth, _session, callback) {
    if (auth.username === 'mailer' && auth.password === 'mail-secret') callback(null, { user: auth.username });
    else callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const line = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('base64'),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      callback();
    });
  },
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
