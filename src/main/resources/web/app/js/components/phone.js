// The phone's inbox (issue #17, point 2): list → thread → visitor card as screens, each reached by a link so the
// phone's own back gesture walks back through them. Shown only by the phone layout's CSS (app.css, end).
import { html } from '../html.js';
import { ArrowLeftIcon } from '../icons.js';

const PersonIcon = () => html`<svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"
  stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/></svg>`;

/** In the thread's header: opens the visitor card screen. */
export function PhoneCardLink({ tab, id }) {
  return html`<a class="icon-btn phone-card-link" href=${`#/conversations/${tab}/${id}/card`} aria-label="Visitor details"
    title="Visitor details"><${PersonIcon}/></a>`;
}

/** Above the visitor card screen: back to the conversation. */
export function PhoneCardBar({ tab, id }) {
  return html`<nav class="phone-card-bar" aria-label="Visitor details">
    <a class="icon-btn back-btn" href=${`#/conversations/${tab}/${id}`} aria-label="Back to the conversation"><${ArrowLeftIcon}/></a>
    <span class="phone-card-title">Visitor details</span>
  </nav>`;
}
