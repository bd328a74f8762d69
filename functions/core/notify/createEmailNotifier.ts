import { createTransport, type SendMailOptions } from 'nodemailer';
import { formatReport } from './formatReport.ts';
import type { Notifier, NotifyReport } from './Notifier.ts';
import { redact } from './redact.ts';

/** The part of a nodemailer transporter this notifier uses. */
export interface MailTransport {
  sendMail(mail: SendMailOptions): Promise<{ accepted?: unknown[]; rejected?: unknown[] }>;
}

export interface EmailOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465`. */
  smtpUrl: string;
  from: string;
  to: string[];
  /** Defaults to nodemailer's `createTransport(smtpUrl)`. */
  transport?: MailTransport;
  /** Name in results and logs (default `email`). */
  name?: string;
}

function hintFor(code: string | undefined, responseCode: number | undefined): string {
  if (code === 'EAUTH' || responseCode === 535 || responseCode === 530) return 'check the user name and password in SMTP_URL';
  if (code === 'EENVELOPE' || (responseCode !== undefined && responseCode >= 550 && responseCode < 560)) return 'check MAIL_FROM and MAIL_TO';
  if (code === 'ECONNECTION' || code === 'ETIMEDOUT' || code === 'ESOCKET' || code === 'EDNS') {
    return 'check the host and port in SMTP_URL (smtps:// for port 465, smtp:// for 25/587) and the network';
  }
  if (code === 'ETLS') return 'check whether the server wants smtps:// (port 465) or smtp:// with STARTTLS (port 587)';
  return 'check SMTP_URL, MAIL_FROM and MAIL_TO';
}

const address = (a: unknown) => (typeof a === 'object' && a !== null && 'address' in a ? String(a.address) : String(a));

/** Mails build reports (plain text and HTML alternatives) over SMTP. */
export function createEmailNotifier({ smtpUrl, from, to, transport, name = 'email' }: EmailOptions): Notifier {
  const parsed = URL.canParse(smtpUrl) ? new URL(smtpUrl) : undefined;
  const secrets = [parsed?.password];
  const where = parsed ? redact(`${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}`, secrets) : 'SMTP_URL';
  let mailer = transport;

  async function send(report: NotifyReport): Promise<void> {
    if (to.length === 0) throw new Error('No mail recipients: set MAIL_TO to a comma-separated list of addresses.');
    const { title, text, html } = formatReport(report);
    mailer ??= createTransport(smtpUrl);
    let info: Awaited<ReturnType<MailTransport['sendMail']>>;
    try {
      info = await mailer.sendMail({ from, to, subject: title, text, html });
    } catch (err) {
      const e = err as { message?: string; code?: string; responseCode?: number };
      const message = e.message ?? String(err);
      throw new Error(redact(`Mail via ${where} failed: ${message} — ${hintFor(e.code, e.responseCode)}.`, secrets));
    }
    const rejected = (info.rejected ?? []).map(address);
    if (rejected.length > 0) {
      throw new Error(redact(`Mail via ${where} was refused for ${rejected.join(', ')} (delivered to the others) — check MAIL_TO.`, secrets));
    }
  }

  return { name, send };
}
