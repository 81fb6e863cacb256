// The right-hand pane: who the visitor is (editable), the shared note, where they are, what the shop told
// us about them (variables), and their earlier conversations.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, patch } from '../api.js';
import { state, changed, useStore, toast } from '../store.js';
import { mergeConversation } from '../conversations.js';
import { watchVisitor } from '../session.js';
import { visitorName, safeHttpUrl, describeUserAgent, ago, fullTime } from '../format.js';
import { Avatar, Spinner } from './common.js';
import { GlobeIcon, ChannelIcon } from '../icons.js';
import { PresenceLine, LocationValue, CountsSection, BrowsingSection, BlockButton, deviceText, usePolling } from './tracking.js';
import { isMessenger, MessengerCardSection } from './messenger.js';
import { RecordingsSection } from './recordings.js';

async function loadVisitor(id) {
  try {
    const v = await get(`/v2/visitors/${id}`);
    state.visitors.set(id, v || {});
  } catch (e) {
    state.visitors.set(id, { error: e.message });
  }
  changed();
}

function pickFirst(o, ...names) {
  for (const n of names) {
    const parts = n.split('.');
    let v = o;
    for (const p of parts) v = v == null ? undefined : v[p];
    if (v != null && v !== '') return v;
  }
  return null;
}

export function VisitorCard({ conversationId }) {
  const s = useStore();
  const c = s.convs.get(conversationId);
  const visitorId = c && (c.visitor_id ?? (c.visitor && c.visitor.id));
  const v = visitorId != null ? s.visitors.get(visitorId) : null;

  useEffect(() => {
    if (visitorId != null && !state.visitors.has(visitorId)) loadVisitor(visitorId);
  }, [visitorId]);
  // New pages arrive as a socket signal; the slow poll only catches what a dropped socket missed.
  useVisitorPages(visitorId);
  useNewConversations(s.convs, c, visitorId, v);
  usePolling(loadVisitor, visitorId, 60000);

  if (!c || c.missing) return html`<aside class="card-pane" aria-label="Visitor"></aside>`;
  const merged = { ...(c.visitor || {}), ...(v && !v.error ? v : {}) };
  const name = visitorName({ ...c, visitor: merged });

  return html`<aside class="card-pane" aria-label="Visitor details">
    <div class="card-head">
      <${Avatar} name=${name} colourKey=${visitorId ?? c.id} size=${48}/>
      <div>
        <p class="card-name">${name}</p>
        ${merged.email ? html`<p class="muted small">${merged.email} <${IdentityBadge} verified=${merged.verified}/></p>` : null}
        <${PresenceLine} v=${v && !v.error ? v : null} now=${s.now}/>
      </div>
    </div>
    ${v == null ? html`<${Spinner} label="Loading visitor…"/>` : null}
    ${v && v.error ? html`<p class="muted small pad">${v.error}</p>` : null}
    <${ContactForm} key=${`contact-${visitorId}`} visitorId=${visitorId} contactId=${c.contact_id} values=${merged} conversationId=${c.id}/>
    <${NoteForm} key=${`note-${visitorId}`} visitorId=${visitorId} note=${merged.note || ''}/>
    <${MessengerCardSection} c=${c}/>
    ${isMessenger(c) ? null : html`<${VisitSection} v=${merged} c=${c} now=${s.now}/>`}
    ${isMessenger(c) ? null : html`<${BrowsingSection} v=${merged}/>`}
    ${isMessenger(c) || visitorId == null ? null : html`<${RecordingsSection} visitorId=${visitorId}/>`}
    <${CountsSection} v=${merged}/>
    <${VariablesSection} info=${v && !v.error ? v.customer_info : null} variables=${{ ...(merged.variables || {}), ...(c.variables || {}) }}/>
    <${HistorySection} c=${c} items=${v && !v.error ? v.conversations || [] : null} failed=${!!(v && v.error)}/>
    ${v && !v.error && visitorId != null ? html`<${BlockButton} visitorId=${visitorId} blocked=${!!merged.blocked}/>` : null}
  </aside>`;
}

function useVisitorPages(visitorId) {
  useEffect(() => {
    if (visitorId == null) return undefined;
    const onPage = (e) => { if (e.detail && e.detail.visitor_id === visitorId) loadVisitor(visitorId); };
    window.addEventListener('parley:visitor-page', onPage);
    watchVisitor(visitorId);
    return () => {
      window.removeEventListener('parley:visitor-page', onPage);
      watchVisitor(null);
    };
  }, [visitorId]);
}

// A conversation of this visitor (or of their contact, on another device) that the dashboard learns of live and the
// card's history does not list yet: read the card again once, instead of waiting for the slow poll.
function useNewConversations(convs, c, visitorId, v) {
  const listed = v && !v.error && Array.isArray(v.conversations) ? new Set(v.conversations.map((h) => h.id)) : null;
  const unlisted = [];
  if (listed && c && visitorId != null) {
    for (const [id, x] of convs) {
      if (!x || x.missing || id === c.id || listed.has(id)) continue;
      const sameVisitor = (x.visitor_id ?? (x.visitor && x.visitor.id)) === visitorId;
      const sameContact = c.contact_id != null && x.contact_id === c.contact_id;
      if (sameVisitor || sameContact) unlisted.push(id);
    }
  }
  // Keyed by the ids: a conversation the card is not allowed to list asks once, not on every render.
  const key = unlisted.sort((a, b) => a - b).join(',');
  useEffect(() => {
    if (key) loadVisitor(visitorId);
  }, [key]);
}

// Whether the shop signed this identity (docs/PRODUCT.md §3): an unverified email is only what someone typed.
function IdentityBadge({ verified }) {
  if (typeof verified !== 'boolean') return null;
  return verified
    ? html`<span class="id-badge id-verified" data-testid="identity-badge" title="The shop signed this identity">Verified</span>`
    : html`<span class="id-badge id-unverified" data-testid="identity-badge" title="Typed in the chat box: anyone could have sent it">Not verified</span>`;
}

function saveVisitor(visitorId, fields) {
  return patch(`/v2/visitors/${visitorId}`, fields);
}

function applySaved(visitorId, conversationId, res, fields) {
  const updated = res && typeof res === 'object' ? { ...fields, ...res } : fields;
  state.visitors.set(visitorId, { ...(state.visitors.get(visitorId) || {}), ...updated });
  const c = state.convs.get(conversationId);
  if (c) {
    mergeConversation({ ...c, visitor: { ...(c.visitor || {}), ...pickIdentity(updated) } });
  }
  changed();
}

function pickIdentity(o) {
  const out = {};
  for (const k of ['name', 'email', 'phone']) if (k in o) out[k] = o[k];
  return out;
}

function ContactForm({ visitorId, values, conversationId }) {
  const [form, setForm] = useState({ name: values.name || '', email: values.email || '', phone: values.phone || '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [base, setBase] = useState(form);
  useEffect(() => {
    const next = { name: values.name || '', email: values.email || '', phone: values.phone || '' };
    // Live updates from the visitor (identify) replace the fields unless the agent is editing them.
    if (JSON.stringify(form) === JSON.stringify(base)) setForm(next);
    setBase(next);
  }, [values.name, values.email, values.phone]);
  const dirty = JSON.stringify(form) !== JSON.stringify(base);

  async function submit(e) {
    e.preventDefault();
    if (!dirty || busy || visitorId == null) return;
    setBusy(true);
    setError(null);
    const fields = {};
    for (const k of ['name', 'email', 'phone']) if (form[k] !== base[k]) fields[k] = form[k].trim();
    try {
      const res = await saveVisitor(visitorId, fields);
      applySaved(visitorId, conversationId, res, fields);
      setBase({ ...base, ...fields });
      setForm({ ...form, ...fields });
      toast('Visitor details saved', 'success', 2500);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  }

  const input = (key, label, type, autocomplete) => html`<label class="field field-inline">
    <span>${label}</span>
    <input type=${type} name=${key} value=${form[key]} autocomplete=${autocomplete} maxlength="255"
      placeholder=${`Add ${label.toLowerCase()}`} aria-invalid=${error && error.toLowerCase().includes(key) ? 'true' : undefined}
      onInput=${(e) => setForm({ ...form, [key]: e.currentTarget.value })}/>
  </label>`;

  return html`<form class="card-section" onSubmit=${submit} aria-label="Contact details">
    <h3>Contact</h3>
    ${input('name', 'Name', 'text', 'off')}
    ${input('email', 'Email', 'email', 'off')}
    ${input('phone', 'Phone', 'tel', 'off')}
    ${error ? html`<p class="form-error small" role="alert">${error}</p>` : null}
    ${dirty ? html`<div class="form-actions">
      <button type="button" class="btn btn-sm" onClick=${() => { setForm(base); setError(null); }}>Cancel</button>
      <button type="submit" class="btn btn-primary btn-sm" disabled=${busy}>${busy ? 'Saving…' : 'Save'}</button>
    </div>` : null}
  </form>`;
}

function NoteForm({ visitorId, note }) {
  const [text, setText] = useState(note);
  const [base, setBase] = useState(note);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (text === base) setText(note);
    setBase(note);
  }, [note]);

  async function submit(e) {
    e.preventDefault();
    if (busy || text === base || visitorId == null) return;
    setBusy(true);
    try {
      const res = await saveVisitor(visitorId, { note: text });
      state.visitors.set(visitorId, { ...(state.visitors.get(visitorId) || {}), ...(res && typeof res === 'object' ? res : {}), note: text });
      setBase(text);
      changed();
      toast('Note saved', 'success', 2500);
    } catch (err) {
      toast(err.message);
    } finally {
      setBusy(false);
    }
  }

  return html`<form class="card-section" onSubmit=${submit} aria-label="Shared note">
    <h3>Note <span class="muted small">· visible to all agents</span></h3>
    <textarea class="note-input" rows="3" value=${text} maxlength="10000" aria-label="Note about this visitor"
      placeholder="Add a note about this visitor…" onInput=${(e) => setText(e.currentTarget.value)}></textarea>
    ${text !== base ? html`<div class="form-actions">
      <button type="button" class="btn btn-sm" onClick=${() => setText(base)}>Cancel</button>
      <button type="submit" class="btn btn-primary btn-sm" disabled=${busy}>${busy ? 'Saving…' : 'Save note'}</button>
    </div>` : null}
  </form>`;
}

function Row({ label, children }) {
  return html`<div class="kv"><dt>${label}</dt><dd>${children}</dd></div>`;
}

function UrlValue({ url, title }) {
  const href = safeHttpUrl(url);
  const text = title || url;
  return href
    ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow" title=${url}>${text}</a>`
    : html`<span title=${url}>${text}</span>`;
}

function VisitSection({ v, c, now }) {
  const url = pickFirst(v, 'current_url', 'page_url', 'url', 'page.url');
  const title = pickFirst(v, 'current_title', 'page_title', 'title', 'page.title');
  const referrer = pickFirst(v, 'entry_referrer', 'referrer', 'referer') || c.referer || c.referrer;
  const ua = pickFirst(v, 'user_agent', 'userAgent');
  const ip = pickFirst(v, 'ip', 'location.ip') || (c.location && c.location.ip) || c.ip;
  const loc = v.location || c.location || {};
  const place = [loc.city, loc.country || loc.code].filter(Boolean).join(', ');
  const browser = deviceText(v.device) || (pickFirst(v, 'browser') ? [pickFirst(v, 'browser'), pickFirst(v, 'os')].filter(Boolean).join(' on ')
    : describeUserAgent(ua));
  const lastSeen = pickFirst(v, 'last_seen_at');
  return html`<section class="card-section" aria-label="Visit">
    <h3>Visit</h3>
    <dl class="kv-list">
      <${Row} label="Current page">${url ? html`<${UrlValue} url=${url} title=${title}/>` : html`<span class="muted">Unknown</span>`}<//>
      <${Row} label="Referrer">${referrer ? html`<${UrlValue} url=${referrer}/>` : html`<span class="muted">Direct visit</span>`}<//>
      <${Row} label="Location">${v.location && v.location.code ? html`<${LocationValue} v=${v}/>`
        : html`<span class=${place ? '' : 'muted'}><${GlobeIcon} size=${13}/> ${place || 'Location not available'}</span>`}<//>
      <${Row} label="IP address">${ip || html`<span class="muted">Not recorded</span>`}<//>
      <${Row} label="Browser">${browser || html`<span class="muted">Unknown</span>`}
        ${ua ? html`<div class="ua muted small" title=${ua}>${ua}</div>` : null}<//>
      ${pickFirst(v, 'visits') != null ? html`<${Row} label="Visits">${String(pickFirst(v, 'visits'))}<//>` : null}
      ${lastSeen ? html`<${Row} label="Last seen"><span title=${fullTime(lastSeen)}>${ago(lastSeen, now)}</span><//>` : null}
    </dl>
  </section>`;
}

function variableEntries(variables) {
  if (!variables || typeof variables !== 'object') return [];
  return Object.entries(variables).map(([key, value]) => {
    if (value && typeof value === 'object' && 'value' in value) {
      return { key, label: value.label ? String(value.label) : key, value: value.value, type: typeOf(value.value) };
    }
    return { key, label: key, value, type: typeOf(value) };
  });
}

// Before the card's typed customer_info has loaded: the conversation's raw variables, typed the same way.
function typeOf(value) {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string' && safeHttpUrl(value) && /^https?:\/\/\S+$/i.test(value)) return 'link';
  return 'text';
}

// The shop's value as the agent reads it: numbers in their locale, yes/no, http(s) links only; text is text.
function TypedValue({ type, value }) {
  if (value == null || value === '') return html`<span class="muted">Not set</span>`;
  if (type === 'boolean') return html`<span class=${`var-bool var-${value ? 'yes' : 'no'}`} data-type="boolean">${value ? 'Yes' : 'No'}</span>`;
  if (type === 'number' && typeof value === 'number') return html`<span class="var-number" data-type="number">${value.toLocaleString()}</span>`;
  if (type === 'link') {
    const href = safeHttpUrl(String(value));
    if (href) return html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow" data-type="link" title=${String(value)}>${shortLink(String(value))}</a>`;
  }
  return html`<span data-type="text">${typeof value === 'object' ? JSON.stringify(value) : String(value)}</span>`;
}

function shortLink(url) {
  try {
    const u = new URL(url);
    const rest = `${u.pathname}${u.search}`;
    return `${u.host}${rest.length > 30 ? `${rest.slice(0, 29)}…` : rest === '/' ? '' : rest}`;
  } catch {
    return url;
  }
}

function VariablesSection({ info, variables }) {
  const entries = Array.isArray(info) ? info : variableEntries(variables);
  return html`<section class="card-section" aria-label="Customer info">
    <h3>Customer info</h3>
    ${entries.length
      ? html`<dl class="kv-list" data-testid="customer-info">${entries.map((e) => html`<${Row} key=${e.key} label=${e.label}><${TypedValue} type=${e.type} value=${e.value}/><//>`)}</dl>`
      : html`<p class="muted small">Your shop hasn't sent any customer data for this visitor.</p>`}
  </section>`;
}

const CHANNEL_NAMES = { chat: 'Chat', email: 'Email', facebook: 'Messenger' };

// Every conversation of this visitor's contact, from any device or channel (the card's JSON lists them).
function HistorySection({ c, items, failed }) {
  const others = Array.isArray(items) ? items.filter((x) => x.id !== c.id) : null;
  return html`<section class="card-section" aria-label="Conversation history">
    <h3>Conversation history</h3>
    ${failed ? html`<p class="muted small">Earlier conversations could not be loaded; the card tries again in a minute.</p>`
      : others == null ? html`<p class="muted small">Loading…</p>` : others.length ? html`<ul class="history" data-testid="history">${others.map((h) => html`<li key=${h.id}>
        <${ChannelIcon} channel=${h.channel}/>
        <a href=${`#/conversations/${h.status === 'closed' ? 'resolved' : 'all'}/${h.id}`}>
          ${h.last_message_text ? h.last_message_text.slice(0, 60) : `Conversation #${h.id}`}</a>
        <span class="muted small"> · ${CHANNEL_NAMES[h.channel] || h.channel} · ${fullTime(h.created_at)}</span>
        ${h.sender_verified === false ? html`<span class="id-badge id-unverified" title="A mail from this customer's address: the sender is not verified">Sender not verified</span>` : null}
        ${h.visitor_id !== c.visitor_id && h.channel === 'chat' ? html`<span class="muted small"> · another device</span>` : null}</li>`)}</ul>`
      : html`<p class="muted small">No earlier conversations with this customer.</p>`}
  </section>`;
}
