// What tracking adds to the visitor card (issue #11): presence, location (with DB-IP's attribution), device,
// counts, the browsing history and blocking. Visitor-controlled text is only ever rendered as text.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { post, del } from '../api.js';
import { state, changed, toast } from '../store.js';
import { safeHttpUrl, ago, fullTime, clockTime } from '../format.js';

/** The emoji flag of an ISO country code (two regional indicator letters), or '' for anything else. */
export function flag(code) {
  if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

/**
 * The country's flag beside its code: the code alone stays readable where the system has no emoji flags
 * (Windows shows the two letters, a server without an emoji font shows boxes).
 */
export function CountryMark({ code }) {
  if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) return null;
  return html`<span class="country-mark" title=${code.toUpperCase()}><span class="country-flag" aria-hidden="true">${flag(code)}</span><span class="country-code">${code.toUpperCase()}</span></span>`;
}

export function placeOf(location) {
  if (!location) return '';
  return [location.city, location.region && location.region !== location.city ? location.region : null,
    location.country || location.code].filter(Boolean).join(', ');
}

/** "Chrome 131 on Windows 10 or later": Yauaa says ">=10" for a frozen user agent. */
export function deviceText(device) {
  if (!device) return '';
  const version = (v) => (v ? String(v).replace(/^>=(.+)$/, '$1 or later') : '');
  const os = device.os === 'Windows NT' ? 'Windows' : device.os;
  const browser = [device.browser, version(device.browser_version).split('.')[0]].filter(Boolean).join(' ');
  const system = [os, version(device.os_version)].filter(Boolean).join(' ');
  return [browser, system].filter(Boolean).join(' on ');
}

export function duration(seconds) {
  if (seconds == null) return '';
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "/cart?step=2" of a page's address: shops often give every page the same title. */
export function pathOf(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch (e) {
    return url;
  }
}

// A long address cut in the middle: what tells two pages of a shop apart (a product slug, "?page=cart") is
// usually at its end, which a plain overflow ellipsis would hide.
function shortPath(url) {
  const path = pathOf(url);
  return path.length > 34 ? `${path.slice(0, 12)}…${path.slice(-20)}` : path;
}

export function Attribution() {
  return html`<a class="attribution muted small" href="https://db-ip.com" target="_blank" rel="noopener noreferrer">IP geolocation by DB-IP</a>`;
}

/** "On the site now" or "Left 12 min ago", from the card's presence fields. */
export function PresenceLine({ v, now }) {
  if (!v || v.online == null) return null;
  if (v.online) return html`<p class="visit-presence visit-presence-on" data-testid="presence"><span class="visit-presence-dot" aria-hidden="true"></span>On the site now</p>`;
  const left = v.left_at || v.last_seen_at || (v.counts && v.counts.last_seen_at);
  return html`<p class="visit-presence muted small" data-testid="presence">${left ? `Left ${ago(left, now)}` : 'Not on the site'}</p>`;
}

export function LocationValue({ v }) {
  const loc = v.location;
  const place = placeOf(loc);
  if (!place) return html`<span class="muted">Location not available</span>`;
  return html`<span data-testid="location"><${CountryMark} code=${loc.code}/> ${place}</span>
    <div><${Attribution}/></div>`;
}

export function CountsSection({ v }) {
  const c = v.counts;
  if (!c) return null;
  return html`<section class="card-section" aria-label="Visits and chats">
    <h3>Activity</h3>
    <div class="counts" data-testid="counts">
      <div><strong>${c.visits}</strong><span class="muted small">${c.visits === 1 ? 'visit' : 'visits'}</span></div>
      <div><strong>${c.pages}</strong><span class="muted small">${c.pages === 1 ? 'page' : 'pages'}</span></div>
      <div><strong>${c.chats}</strong><span class="muted small">${c.chats === 1 ? 'chat' : 'chats'}</span></div>
    </div>
    <dl class="kv-list">
      ${c.first_seen_at ? html`<div class="kv"><dt>First seen</dt><dd title=${fullTime(c.first_seen_at)}>${fullTime(c.first_seen_at)}</dd></div>` : null}
      ${c.last_seen_at ? html`<div class="kv"><dt>Last seen</dt><dd title=${fullTime(c.last_seen_at)}>${fullTime(c.last_seen_at)}</dd></div>` : null}
    </dl>
  </section>`;
}

function PageLink({ url, title }) {
  const href = safeHttpUrl(url);
  const text = title || url;
  return href ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow" title=${url}>${text}</a>`
    : html`<span title=${url}>${text}</span>`;
}

/** Newest first; each visit's entry page carries its referrer. */
export function BrowsingSection({ v }) {
  const pages = Array.isArray(v.pages) ? v.pages : null;
  if (!pages) return null;
  return html`<section class="card-section" aria-label="Browsing history">
    <h3>Browsing history</h3>
    ${pages.length === 0 ? html`<p class="muted small">No pages recorded yet.</p>` : html`<ol class="pages" data-testid="pages">
      ${pages.map((p, i) => html`<li key=${`${p.viewed_at}-${i}`} class=${p.entry ? 'page-entry' : ''}>
        <div class="page-title"><${PageLink} url=${p.url} title=${p.title}/></div>
        ${p.title ? html`<div class="muted small page-path" title=${p.url}>${shortPath(p.url)}</div>` : null}
        <div class="muted small">
          <span title=${fullTime(p.viewed_at)}>${clockTime(p.viewed_at)}</span>
          ${p.time_spent_seconds != null ? html` · ${duration(p.time_spent_seconds)}` : null}
          ${p.entry ? html` · <span class="entry-mark">Entry page</span>` : null}
        </div>
        ${p.entry ? html`<div class="muted small page-referrer" data-testid="page-referrer">from ${p.referrer
          ? html`<${PageLink} url=${p.referrer}/>` : 'a direct visit'}</div>` : null}
      </li>`)}
    </ol>`}
  </section>`;
}

export function BlockButton({ visitorId, blocked }) {
  const [busy, setBusy] = useState(false);
  async function toggle() {
    if (!blocked && !confirm('Block this visitor? The chat box disappears for them and their messages are refused.')) return;
    setBusy(true);
    try {
      const res = blocked ? await del(`/v2/visitors/${visitorId}/block`) : await post(`/v2/visitors/${visitorId}/block`, {});
      state.visitors.set(visitorId, { ...(state.visitors.get(visitorId) || {}), ...(res || {}) });
      changed();
      toast(blocked ? 'Visitor unblocked' : 'Visitor blocked', 'success', 2500);
    } catch (e) {
      toast(e.message);
    } finally {
      setBusy(false);
    }
  }
  return html`<div class="card-section block-row">
    <button type="button" class=${`btn btn-sm ${blocked ? '' : 'btn-danger-ghost'}`} disabled=${busy} onClick=${toggle}
      data-testid="block-visitor">${blocked ? 'Unblock visitor' : 'Block visitor'}</button>
    ${blocked ? html`<span class="muted small"> The chat box is hidden for this visitor.</span>` : null}
  </div>`;
}

/** Refreshes the card every few seconds while it is open and the tab visible: the history stays live. */
export function usePolling(load, id, everyMs = 4000) {
  useEffect(() => {
    if (id == null) return undefined;
    const timer = setInterval(() => { if (!document.hidden) load(id); }, everyMs);
    return () => clearInterval(timer);
  }, [id]);
}
