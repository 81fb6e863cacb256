// Search over Open and Resolved (issue #14): a search box, an Advanced panel with every filter, results in the
// list's own rows with the matching words marked, "1,234 conversations", keyset paging with "Show more", saved
// searches. The filter lives in the URL after "?" (#/conversations/resolved?q=refund&rating=bad), so a search is
// shareable, survives a reload and comes back with the browser's Back button.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { useStore, toast } from '../store.js';
import { get, post } from '../api.js';
import { navigate } from '../router.js';
import { Row } from './list.js';
import { EmptyState, Spinner } from './common.js';
import { InboxIcon } from '../icons.js';

const ROW = 80;
const PAGE = 50;
const RATINGS = [['good', 'Good'], ['normal', 'Normal'], ['bad', 'Bad'], ['none', 'Not rated']];
const CHANNELS = [['chat', 'Chat box'], ['email', 'Email'], ['facebook', 'Messenger']];
// URL parameter → the API's filter, and back. Lists are comma-separated.
const KEYS = ['q', 'rating', 'agent', 'group', 'tags', 'match', 'url', 'start', 'ip', 'from', 'to', 'channel', 'contact'];

export function readFilter(search) {
  const p = new URLSearchParams(search || '');
  const f = {};
  for (const k of KEYS) if (p.get(k)) f[k] = p.get(k);
  return f;
}

export function filterToSearch(f) {
  const p = new URLSearchParams();
  for (const k of KEYS) if (f[k] != null && String(f[k]).trim() !== '') p.set(k, String(f[k]).trim());
  return p.toString();
}

function ids(value) {
  return String(value || '').split(',').map((x) => x.trim()).filter((x) => /^\d+$/.test(x)).map(Number);
}

export function toRequest(f, tab, after) {
  const filters = { status: tab === 'resolved' ? 'closed' : 'open' };
  if (f.q) filters.query = f.q;
  if (f.rating) filters.rating = f.rating.split(',').filter(Boolean);
  if (f.agent && /^\d+$/.test(f.agent)) filters.agent_id = Number(f.agent);
  if (f.group && /^\d+$/.test(f.group)) filters.group_id = Number(f.group);
  if (f.tags && ids(f.tags).length) {
    filters.tags = ids(f.tags);
    filters.tags_match = f.match === 'all' ? 'all' : 'any';
  }
  if (f.url) filters.page_url = f.url;
  if (f.start) filters.start_url = f.start;
  if (f.ip) filters.loc_ip = f.ip;
  if (f.from) filters.date_from = f.from;
  if (f.to) filters.date_to = f.to;
  if (f.channel) filters.channel = f.channel;
  if (f.contact && /^\d+$/.test(f.contact)) filters.contact_id = Number(f.contact);
  const body = { size: PAGE, filters, sort: [tab === 'resolved' ? { finished_at: 'desc' } : { created_at: 'desc' }] };
  if (after) body.after = after;
  return body;
}

function go(tab, f) {
  const q = filterToSearch(f);
  navigate(`#/conversations/${tab}${q ? `?${q}` : ''}`);
}

/** The search box and, opened, the Advanced panel; applying writes the filter into the URL. */
export function SearchBar({ tab, search }) {
  const s = useStore();
  const current = readFilter(search);
  const [draft, setDraft] = useState(current);
  const [open, setOpen] = useState(false);
  useEffect(() => setDraft(readFilter(search)), [search]);
  const set = (k, v) => setDraft({ ...draft, [k]: v });
  const toggleIn = (k, v) => {
    const list = String(draft[k] || '').split(',').filter(Boolean);
    set(k, (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]).join(','));
  };
  const has = (k, v) => String(draft[k] || '').split(',').includes(v);
  const apply = (e) => {
    e.preventDefault();
    setOpen(false);
    go(tab, draft);
  };
  const advancedCount = Object.keys(current).filter((k) => k !== 'q' && k !== 'match').length;
  return html`<form class="search-bar" role="search" onSubmit=${apply} aria-label="Search conversations">
    <div class="search-row">
      <input type="search" class="search-input" name="q" value=${draft.q || ''} maxlength="500"
        placeholder=${tab === 'resolved' ? 'Search resolved conversations' : 'Search open conversations'}
        aria-label="Search text" onInput=${(e) => set('q', e.currentTarget.value)}/>
      <button type="button" class=${`btn btn-sm ${open ? 'btn-primary' : ''}`} aria-expanded=${open ? 'true' : 'false'}
        aria-controls="advanced-search" onClick=${() => setOpen(!open)}>Advanced${advancedCount ? ` (${advancedCount})` : ''}</button>
    </div>
    ${open ? html`<div id="advanced-search" class="advanced" role="group" aria-label="Advanced search">
      <fieldset class="adv-field adv-tags"><legend>Rating</legend>
        ${RATINGS.map(([v, label]) => html`<label key=${v} class="check-row"><input type="checkbox" name="rating" value=${v}
          checked=${has('rating', v)} onChange=${() => toggleIn('rating', v)}/> ${label}</label>`)}
      </fieldset>
      <label class="adv-field">Agent
        <select name="agent" value=${draft.agent || ''} onChange=${(e) => set('agent', e.currentTarget.value)}>
          <option value="">Anyone</option>
          ${s.agents.map((a) => html`<option key=${a.id} value=${String(a.id)}>${a.name}</option>`)}
        </select></label>
      <label class="adv-field">Group
        <select name="group" value=${draft.group || ''} onChange=${(e) => set('group', e.currentTarget.value)}>
          <option value="">Any group</option>
          ${s.groups.map((g) => html`<option key=${g.id} value=${String(g.id)}>${g.name}</option>`)}
        </select></label>
      <fieldset class="adv-field adv-tags"><legend>Tags</legend>
        ${s.tags.length ? s.tags.map((t) => html`<label key=${t.id} class="check-row"><input type="checkbox" name="tag" value=${String(t.id)}
          checked=${has('tags', String(t.id))} onChange=${() => toggleIn('tags', String(t.id))}/> ${t.name}</label>`)
          : html`<span class="muted small">No tags yet</span>`}
        <label class="check-row"><input type="checkbox" name="match" checked=${draft.match === 'all'}
          onChange=${(e) => set('match', e.currentTarget.checked ? 'all' : '')}/> Must have all chosen tags</label>
      </fieldset>
      <label class="adv-field">Web page contains
        <input name="url" value=${draft.url || ''} maxlength="500" placeholder="/checkout" onInput=${(e) => set('url', e.currentTarget.value)}/></label>
      <label class="adv-field">Chat started on a page containing
        <input name="start" value=${draft.start || ''} maxlength="500" placeholder="/product/" onInput=${(e) => set('start', e.currentTarget.value)}/></label>
      <label class="adv-field">IP address
        <input name="ip" value=${draft.ip || ''} maxlength="50" placeholder="203.0.113.7, 203.0.113 or 203.0.113.0/24" onInput=${(e) => set('ip', e.currentTarget.value)}/></label>
      <div class="adv-pair">
        <label class="adv-field">From <input type="date" name="from" value=${draft.from || ''} onInput=${(e) => set('from', e.currentTarget.value)}/></label>
        <label class="adv-field">To <input type="date" name="to" value=${draft.to || ''} onInput=${(e) => set('to', e.currentTarget.value)}/></label>
      </div>
      <label class="adv-field">Channel
        <select name="channel" value=${draft.channel || ''} onChange=${(e) => set('channel', e.currentTarget.value)}>
          <option value="">Any channel</option>
          ${CHANNELS.map(([v, label]) => html`<option key=${v} value=${v}>${label}</option>`)}
        </select></label>
      ${draft.contact ? html`<p class="muted small">Only the conversations of contact #${draft.contact}
        <button type="button" class="btn btn-xs" onClick=${() => set('contact', '')}>Any contact</button></p>` : null}
      <div class="adv-actions">
        <button type="submit" class="btn btn-primary btn-sm">Apply</button>
        <button type="button" class="btn btn-sm" onClick=${() => { setDraft({}); setOpen(false); go(tab, {}); }}>Clear</button>
      </div>
    </div>` : null}
  </form>`;
}

/** One line shows little: start the excerpt shortly before its first marked word. */
export function focusHighlight(pieces) {
  if (!Array.isArray(pieces) || !pieces.length) return null;
  const first = pieces.findIndex((p) => p.hit);
  if (first <= 0) return pieces;
  const before = pieces.slice(0, first).map((p) => p.text).join('');
  const lead = before.length > 30 ? `…${before.slice(-30).replace(/^\S*\s/, '')}` : before;
  return [{ text: lead, hit: false }, ...pieces.slice(first)];
}

function countLabel(total, lowerBound) {
  const n = Number(total || 0).toLocaleString('en-US');
  return `${n}${lowerBound ? '+' : ''} conversation${total === 1 && !lowerBound ? '' : 's'}`;
}

/** The results of the URL's search, in the list's rows; each link keeps the search, so Back returns to it. */
export function SearchResults({ tab, search, selectedId }) {
  const s = useStore();
  const [state, setState] = useState({ items: [], total: 0, lowerBound: false, after: null, loading: true, error: null });
  const filter = readFilter(search);
  const load = async (after) => {
    setState((x) => ({ ...x, loading: true, error: null }));
    try {
      const r = await post('/v2/conversations/search', toRequest(filter, tab, after));
      setState((x) => ({
        items: after ? [...x.items, ...r.items] : r.items, total: r.total, lowerBound: r.total_is_lower_bound,
        after: r.after, loading: false, error: null,
      }));
    } catch (e) {
      setState((x) => ({ ...x, loading: false, error: e.message }));
    }
  };
  useEffect(() => { load(null); }, [tab, search]);
  const suffix = `?${search}`;
  const count = state.items.length;
  return html`<div class="list-scroll search-results">
    <div class="search-summary" aria-live="polite">
      ${state.loading && !count ? 'Searching…' : html`<strong>${countLabel(state.total, state.lowerBound)}</strong>`}
      <${SavedSearches} tab=${tab} search=${search}/>
    </div>
    ${!state.loading && !state.error && count === 0
      ? html`<${EmptyState} icon=${html`<${InboxIcon} size=${28}/>`} title="No conversations match">
          Try fewer words or filters, or look in ${tab === 'resolved' ? 'Open' : 'Resolved'}.<//>`
      : html`<ul class="conv-list" role="list" aria-label="Search results" style=${`height:${count * ROW}px`}>
          ${state.items.map((c, i) => html`<${Row} key=${c.id} c=${c} tab=${tab} top=${i * ROW} selected=${c.id === selectedId}
            now=${s.now} index=${i} total=${count} suffix=${suffix} highlight=${focusHighlight(c.highlight)}/>`)}
        </ul>`}
    ${state.loading && count ? html`<${Spinner} label="Loading more…"/>` : null}
    ${state.after && !state.loading ? html`<div class="search-more"><button type="button" class="btn btn-sm" onClick=${() => load(state.after)}>
      Show more</button></div>` : null}
    ${state.error ? html`<div class="list-error" role="alert">${state.error}
      <button type="button" class="btn btn-sm" onClick=${() => load(null)}>Try again</button></div>` : null}
  </div>`;
}

/** The agent's saved searches: open one, save the current one under a name, forget one. */
function SavedSearches({ tab, search }) {
  const [saved, setSaved] = useState(null);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const refresh = () => get('/v2/saved-searches').then((r) => setSaved(r.items)).catch(() => setSaved([]));
  useEffect(() => { refresh(); }, []);
  const save = async (e) => {
    e.preventDefault();
    try {
      await post('/v2/saved-searches', { name: name.trim(), filter: `${tab}?${search}` });
      setNaming(false);
      setName('');
      toast('Search saved', 'success', 3000);
      refresh();
    } catch (err) {
      toast(err.message);
    }
  };
  const open = (item) => {
    const [t, q] = item.filter.split('?');
    navigate(`#/conversations/${encodeURIComponent(t)}${q ? `?${q}` : ''}`);
  };
  return html`<div class="saved-searches">
    ${naming ? html`<form class="saved-form" onSubmit=${save}>
        <input aria-label="Name of the saved search" placeholder="Name" maxlength="255" value=${name}
          onInput=${(e) => setName(e.currentTarget.value)} required/>
        <button type="submit" class="btn btn-xs btn-primary">Save</button>
        <button type="button" class="btn btn-xs" onClick=${() => setNaming(false)}>Cancel</button></form>`
      : html`<button type="button" class="btn btn-xs" onClick=${() => setNaming(true)}>Save search</button>`}
    ${saved && saved.length ? html`<select aria-label="Saved searches" class="saved-pick" value=""
        onChange=${(e) => { const it = saved.find((x) => String(x.id) === e.currentTarget.value); if (it) open(it); }}>
        <option value="">Saved searches…</option>
        ${saved.map((it) => html`<option key=${it.id} value=${String(it.id)}>${it.name}</option>`)}
      </select>` : null}
  </div>`;
}
