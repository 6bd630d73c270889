// A real SMTP server (smtp-server) on 127.0.0.1:<port> that parses each accepted mail (mailparser) and writes it as
// <folder>/<time>-<n>.json: { to, from, subject, text, html }. Written to a temporary name and renamed, so a reader
// never sees half a file. Plain SMTP without TLS or AUTH: a test double for a mail provider, never a relay.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [port, folder] = process.argv.slice(2);
mkdirSync(folder, { recursive: true });
let count = 0;
const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const name = `${Date.now()}-${process.pid}-${++count}`;
        const record = {
          to: session.envelope.rcptTo.map((r) => r.address),
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          subject: mail.subject,
          text: mail.text,
          html: mail.html || '',
        };
        writeFileSync(join(folder, name + '.tmp'), JSON.stringify(record));
        renameSync(join(folder, name + '.tmp'), join(folder, name + '.json'));
        callback();
      })
      .catch(callback);
  },
});
server.listen(Number(port), '127.0.0.1', () => console.log(`listening ${port}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
