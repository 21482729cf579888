/**
 * The server's own email (invites, password-reset links, managers' reminders), sent at once rather than by the
 * daily `npm run reminders`. Configured like it (src/features/notifications/mail-config.ts); without SMTP there is no
 * mailer and callers fall back to what they show on the page.
 */
import nodemailer from 'nodemailer';
import { env } from '../../env';
import type { MailSender } from './reminders.server';

export interface Mailer extends MailSender {
  from: string;
}

let cached: Mailer | null | undefined;

/** The configured mailer, made once per process; undefined when neither SMTP_URL nor SMTP_HOST is set. */
export function serverMailer(): Mailer | undefined {
  if (cached === undefined) {
    const config = env().mail;
    if (!config) cached = null;
    else {
      const transport = nodemailer.createTransport(config.transport);
      cached = { from: config.from, sendMail: (message) => transport.sendMail(message) };
    }
  }
  return cached ?? undefined;
}
