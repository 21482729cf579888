/**
 * Where reminder emails go, from the environment. Pure (the environment is passed in) so it is unit-tested.
 *
 *   SMTP_URL                       smtp://user:pass@host:587 or smtps://user:pass@host:465 — or, piece by piece:
 *   SMTP_HOST, SMTP_PORT (587), SMTP_SECURE (1/true for implicit TLS; default: port 465), SMTP_USER, SMTP_PASSWORD
 *   MAIL_FROM                      the sender, default "Frontline Academy <no-reply@localhost>"
 *
 * Neither SMTP_URL nor SMTP_HOST: no email; reminders stay on the learner's home page.
 */
export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
}

export interface MailConfig {
  /** A nodemailer connection URL, or the options object. */
  transport: string | SmtpOptions;
  from: string;
}

export const DEFAULT_MAIL_FROM = 'Frontline Academy <no-reply@localhost>';

type Env = Record<string, string | undefined>;

export function mailConfigFromEnv(env: Env): MailConfig | undefined {
  const from = env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
  const url = env.SMTP_URL?.trim();
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error('SMTP_URL is not a URL (expected smtp://user:pass@host:587 or smtps://…)');
    }
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
      throw new Error('SMTP_URL must start with smtp:// or smtps://');
    return { transport: url, from };
  }
  const host = env.SMTP_HOST?.trim();
  if (!host) return undefined;
  const port = env.SMTP_PORT ? Number(env.SMTP_PORT) : 587;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('SMTP_PORT must be a port number');
  const secureText = env.SMTP_SECURE?.trim().toLowerCase();
  const secure = secureText ? secureText === '1' || secureText === 'true' : port === 465;
  const user = env.SMTP_USER?.trim();
  return {
    transport: { host, port, secure, ...(user ? { auth: { user, pass: env.SMTP_PASSWORD ?? '' } } : {}) },
    from,
  };
}
