// The Visitors section (issue #11): who is on the shop now, where from, what they read. Live by a light poll
// of GET /v2/visitors while the section is open; a row opens the visitor's card beside the list.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, post } from '../api.js';
import { useStore, toast } from '../store.js';
import { navigate } from '../router.js';
import { visitorName, ago } from '../format.js';
import { Avatar, EmptyState, Spinner } from './common.js';
import { UsersIcon } from '../icons.js';
import { RecordingsSection } from './recordings.js';
import {
  CountryMark, placeOf, duration, deviceText, Attribution, PresenceLine, LocationValue, CountsSection, BrowsingSection,
  BlockButton,
} from './tracking.js';

export const VISITOR_FILTERS = [
  ['all', 'All'], ['active', 'Active'], ['in_chat', 'In chat'], ['customers', 'Customers'], ['blocked', 'Blocked'],
];
const EMPTY = {
  all: 'Nobody has visited your shop since the chat box was installed.',
  active: 'No one has been on your shop in the last 10 minutes.',
  in_chat: 'No visitor is chatting right now.',
  customers: 'No identified customers yet: they appear once your shop identifies them or they leave their email.',
  blocked: 'No blocked visitors.',
};

function usePoll(path, everyMs) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let stop = false;
    const load = () => get(path).then((d) => { if (!stop) { setData(d); setError(null); } },
      (e) => { if (!stop) setError(e.message); });
    setData(null);
    load();
    const timer = setInterval(() => { if (!document.hidden) load(); }, everyMs);
    return () => { stop = true; clearInterval(timer); };
  }, [path]);
  return [data, error];
}

export function Visitors({ route }) {
  const s = useStore();
  const filter = route.filter || 'all';
  const [list, error] = usePoll(`/v2/visitors?filter=${filter}&limit=100`, 5000);
  const items = list && Array.isArray(list.items) ? list.items : null;
  const now = s.now || Date.now();
  return html`<main class="visitors-view" aria-label="Visitors">
    <section class="visitors-list">
      <div class="visitors-head">
        <h2>Visitors</h2>
        <nav class="tabs" aria-label="Visitor filters">
          ${VISITOR_FILTERS.map(([key, label]) => html`<a key=${key} href=${`#/visitors/${key}`}
            class=${`tab ${filter === key ? 'active' : ''}`} aria-current=${filter === key ? 'page' : undefined}>${label}</a>`)}
        </nav>
      </div>
      ${error ? html`<p class="muted pad">${error}</p>` : null}
      ${items == null && !error ? html`<${Spinner} label="Loading visitors…"/>` : null}
      ${items && items.length === 0 ? html`<${EmptyState} icon=${html`<${UsersIcon} size=${28}/>`} title="No visitors here">${EMPTY[filter]}<//>` : null}
      ${items && items.length ? html`<table class="visitors-table" data-testid="visitors-table">
        <thead><tr><th>Visitor</th><th>Location</th><th>Current page</th><th>On site</th><th>Pages</th></tr></thead>
        <tbody>${items.map((v) => html`<tr key=${v.id} class=${route.id === v.id ? 'selected' : ''} data-testid="visitor-row"
            onClick=${() => navigate(`#/visitors/${filter}/${v.id}`)}>
          <td><span class="visitor-cell"><${Avatar} name=${visitorName(v)} colourKey=${v.id} size=${28}
              presence=${v.online ? 'online' : undefined}/>
            <span><a href=${`#/visitors/${filter}/${v.id}`} class="visitor-name">${visitorName(v)}</a>
              ${v.in_chat ? html`<span class="chip chip-chat">In chat</span>` : null}
              ${v.blocked ? html`<span class="chip chip-blocked">Blocked</span>` : null}
              <div class="muted small">${v.online ? 'On the site now' : `Left ${ago(v.left_at || v.last_seen_at, now)}`}</div></span></span></td>
          <td>${v.location ? html`<span title=${placeOf(v.location)}><${CountryMark} code=${v.location.code}/> ${v.location.city || v.location.country || v.location.code}</span>`
            : html`<span class="muted">Unknown</span>`}</td>
          <td class="current-page" title=${v.current_url || ''}>${v.current_title || v.current_url || ''}</td>
          <td>${duration(v.time_on_site_seconds)}</td>
          <td>${v.pages}</td>
        </tr>`)}</tbody>
      </table>
      <p class="list-foot"><${Attribution}/></p>` : null}
    </section>
    ${route.id != null ? html`<${VisitorPanel} id=${route.id} now=${now}/>` : null}
  </main>`;
}

function VisitorPanel({ id, now }) {
  const [v, error] = usePoll(`/v2/visitors/${id}`, 4000);
  if (error) return html`<aside class="card-pane"><p class="muted pad">${error}</p></aside>`;
  if (!v) return html`<aside class="card-pane"><${Spinner} label="Loading visitor…"/></aside>`;
  return html`<aside class="card-pane" aria-label="Visitor details" data-testid="visitor-panel">
    <div class="card-head">
      <${Avatar} name=${visitorName(v)} colourKey=${id} size=${48}/>
      <div><p class="card-name">${visitorName(v)}</p>
        ${v.email ? html`<p class="muted small">${v.email}</p>` : null}
        <${PresenceLine} v=${v} now=${now}/></div>
    </div>
    <section class="card-section" aria-label="Visit">
      <h3>Visit</h3>
      <dl class="kv-list">
        <div class="kv"><dt>Location</dt><dd><${LocationValue} v=${v}/></dd></div>
        <div class="kv"><dt>Browser</dt><dd data-testid="device">${deviceText(v.device) || html`<span class="muted">Unknown</span>`}</dd></div>
        <div class="kv"><dt>IP address</dt><dd>${v.ip || html`<span class="muted">Not recorded</span>`}</dd></div>
      </dl>
    </section>
    ${v.online && !v.in_chat && !v.blocked ? html`<${StartChat} id=${id}/>` : null}
    <${BrowsingSection} v=${v}/>
    <${RecordingsSection} visitorId=${id}/>
    <${CountsSection} v=${v}/>
    <${BlockButton} visitorId=${id} blocked=${!!v.blocked}/>
  </aside>`;
}

/** docs/PRODUCT.md §1.3: an agent opens a conversation with a visitor on the site; it pops up in their chat box. */
function StartChat({ id }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    try {
      const c = await post(`/v2/visitors/${id}/conversations`, { text });
      navigate(`#/conversations/all/${c.id}`);
    } catch (err) {
      toast(err.message);
      setBusy(false);
    }
  }
  return html`<form class="card-section start-chat" onSubmit=${submit} aria-label="Start a conversation">
    <h3>Start a conversation</h3>
    <textarea rows="2" value=${text} maxlength="10000" aria-label="First message to the visitor"
      placeholder="Hi! Can I help you find something?" onInput=${(e) => setText(e.currentTarget.value)}></textarea>
    <div class="form-actions"><button type="submit" class="btn btn-primary btn-sm" disabled=${busy || !text.trim()}>
      ${busy ? 'Sending…' : 'Send'}</button></div>
  </form>`;
}
