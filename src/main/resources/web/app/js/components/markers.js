// Small markers on conversations (issue #18, point 10): one that came in through the offline contact form,
// so an agent knows the visitor is gone and waits for an email answer.
import { html } from '../html.js';
import { OfflineFormIcon } from '../icons.js';

export function OfflineMarker({ compact }) {
  return html`<span class=${`offline-marker ${compact ? 'compact' : ''}`} title="Sent through the contact form while nobody was online"
    data-testid="offline-marker"><${OfflineFormIcon} size=${compact ? 12 : 14}/>${compact ? html`<span class="sr-only">Offline message</span>` : ' Offline message'}</span>`;
}
