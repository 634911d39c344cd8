/**
 * Notifications to a webhook (SPEC §10): `POST` of JSON `{"text": "..."}` — what Slack's
 * incoming webhooks read — plus the same fields as the SNS message. A slow or failing hook must
 * not hold a run: the call has a timeout and any answer but 2xx is an error for the caller to log.
 * Requests go only to the configured URL: a redirect is not followed (it would hand the
 * notification, and a re-POSTed body, to whatever host the answer names); it is a failed send.
 */

import { PortError } from '../app/kit/ports.js';
import type { Notifier } from '../app/serverless/ports.js';

const TIMEOUT_MS = 10_000;

/** @example await createWebhookNotifier('https://hooks.slack.com/services/...').send(notification); */
export function createWebhookNotifier(url: string, timeoutMs = TIMEOUT_MS): Notifier {
  const shown = new URL(url);
  return {
    // The path of a Slack hook is its secret: logs show the host only.
    target: `webhook:${shown.protocol}//${shown.host}/…`,
    async send(notification) {
      const body = JSON.stringify({
        text: `${notification.subject}\n${notification.text}`,
        event: notification.event,
        ...notification.details,
      });
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const code =
          (error as { name?: string }).name === 'TimeoutError' ? 'TimeoutError' : 'WebhookUnreachable';
        throw new PortError(
          'Webhook',
          { code, message: String((error as Error).message ?? error), transient: true },
          { cause: error },
        );
      }
      // Nothing is read from a hook's answer but its status: free the connection.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 300 && response.status < 400) {
        throw new PortError('Webhook', {
          code: `HTTP${response.status}`,
          message: `the webhook answered ${response.status} ${response.statusText}: a redirect, not followed (notifications go to the configured URL only)`,
          transient: false,
        });
      }
      if (!response.ok) {
        throw new PortError('Webhook', {
          code: `HTTP${response.status}`,
          message: `the webhook answered ${response.status} ${response.statusText}`,
          transient: response.status >= 500,
        });
      }
    },
  };
}
