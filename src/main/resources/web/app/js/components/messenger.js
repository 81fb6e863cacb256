// Facebook Messenger in the dashboard (docs/MESSENGER.md): Settings → Channels → Messenger (connect pages, the
// webhook URL to paste, the reconnect prompt), and in a Messenger conversation: each reply's delivery state, the
// customer's reactions and attachments, the reply window under the composer, the page on the visitor card.
// Everything the customer or Meta sent is rendered as text nodes, never as HTML.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, post, del } from '../api.js';
import { attempt, useStore, isAdmin } from '../store.js';
import { fullTime, clockTime } from '../format.js';
import { EmptyState, Spinner } from './common.js';
import { CopyIcon, TrashIcon, MessengerIcon, CheckIcon } from '../icons.js';

export function isMessenger(c) {
  const type = c && (typeof c.channel === 'string' ? c.channel : c.channel && c.channel.type);
  return type === 'facebook';
}

// ---- Settings → Channels → Messenger ------------------------------------------------------------

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Clipboard refused (no permission, plain http): the URL stays visible to copy by hand.
  }
}

const EMPTY = { app_id: '', app_secret: '', verify_token: '', page_id: '', page_access_token: '' };

export function MessengerSettings() {
  const [data, setData] = useState(null);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const load = () => get('/v2/channels/messenger').then(setData).catch((e) => { setData({ pages: [] }); setError(e.message); });
  useEffect(() => { load(); }, []);

  async function connect(e) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const page = await post('/v2/channels/messenger', Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim()])));
      setForm({ ...EMPTY, app_id: form.app_id });
      load();
      return page;
    } catch (err) {
      setError(err.message);
      return null;
    } finally {
      setBusy(false);
    }
  }

  function reconnect(p) {
    setForm({ ...form, app_id: p.app_id || '', page_id: p.page_id });
    const el = document.getElementById('messenger-token');
    if (el) el.focus();
  }

  async function disconnect(p) {
    if ((await attempt(del(`/v2/channels/messenger/${p.page_id}`), { success: `${p.name || p.page_id} disconnected` })) !== undefined) load();
  }

  const field = (name, label, type = 'text', hint = null) => html`<label class="field grow">
    <span>${label}</span>
    <input id=${`messenger-${name === 'page_access_token' ? 'token' : name}`} name=${name} required type=${type}
      autocomplete="off" maxlength="1000" value=${form[name]} onInput=${(e) => setForm({ ...form, [name]: e.currentTarget.value })}/>
    ${hint ? html`<small class="muted">${hint}</small>` : null}
  </label>`;

  return html`<section aria-labelledby="messenger-h" class="messenger-settings">
    <header class="section-head"><h2 id="messenger-h"><${MessengerIcon} size=${20}/> Facebook Messenger</h2>
      <p class="muted">Messages to your Facebook page arrive in the inbox with a blue Messenger icon; your replies go
        back to Messenger. Meta allows replies within 24 hours of the customer's last message, or up to 7 days
        for a person's reply; after that, answer from Facebook.</p></header>
    ${data == null ? html`<${Spinner}/>` : html`
      <div class="panel">
        <p><strong>1. In your Meta app's Messenger settings, set the callback URL to</strong></p>
        <div class="secret-row"><code data-testid="messenger-webhook-url">${data.webhook_url}</code>
          <button type="button" class="btn btn-sm" onClick=${() => copyText(data.webhook_url)}><${CopyIcon} size=${14}/> Copy</button></div>
        <p class="muted small">Use the same verify token as below, and subscribe to <code>messages</code>,
          <code>message_echoes</code>, <code>message_deliveries</code>, <code>message_reads</code>,
          <code>message_reactions</code> and <code>messaging_postbacks</code>.</p>
      </div>
      ${data.pages.length ? html`<ul class="messenger-pages">
        ${data.pages.map((p) => html`<li key=${p.page_id} class=${`panel messenger-page ${p.needs_reconnect ? 'needs-reconnect' : ''}`}
            data-page-id=${p.page_id}>
          ${p.picture_url ? html`<img class="page-picture" src=${p.picture_url} alt="" width="40" height="40"/>` : html`<span class="page-picture"><${MessengerIcon} size=${20}/></span>`}
          <div class="grow">
            <strong>${p.name || `Page ${p.page_id}`}</strong>
            <div class="muted small">Page ${p.page_id} · app ${p.app_id}${p.connected_at ? ` · connected ${fullTime(p.connected_at)}` : ''}</div>
            ${p.needs_reconnect ? html`<p class="reconnect" role="alert">Facebook no longer accepts this page's access token
              (it expired or was revoked). Replies fail until you reconnect: paste a new page access token below.
              <button type="button" class="btn btn-sm btn-primary" onClick=${() => reconnect(p)}>Reconnect</button></p>` : null}
          </div>
          <span class=${`badge ${p.needs_reconnect ? 'badge-danger' : 'badge-ok'}`}>${p.needs_reconnect ? 'Needs reconnecting' : 'Connected'}</span>
          <button type="button" class="icon-btn danger" aria-label=${`Disconnect ${p.name || p.page_id}`} title="Disconnect"
            onClick=${() => disconnect(p)}><${TrashIcon} size=${16}/></button>
        </li>`)}
      </ul>` : html`<${EmptyState} title="No page connected yet">Connect your first Facebook page below.<//>`}
      <form class="panel" onSubmit=${connect} aria-label="Connect a Facebook page">
        <p><strong>2. Connect a page</strong> <span class="muted small">(app secret and tokens are stored, never shown again)</span></p>
        <div class="form-row">
          ${field('app_id', 'Meta app ID')}
          ${field('app_secret', 'App secret', 'password')}
          ${field('verify_token', 'Verify token', 'password', 'Any phrase; type the same in Meta\'s webhook settings.')}
        </div>
        <div class="form-row">
          ${field('page_id', 'Page ID')}
          ${field('page_access_token', 'Page access token', 'password')}
          <button type="submit" class="btn btn-primary" disabled=${busy}>${busy ? 'Checking with Facebook…' : 'Connect page'}</button>
        </div>
      </form>
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}`}
  </section>`;
}

// ---- a Messenger conversation ----------------------------------------------------------------------

const facts = new Map(); // conversation id → the server's channel facts
const listeners = new Set();

async function refresh(id) {
  try {
    facts.set(id, await get(`/v2/channels/messenger/conversations/${id}`, { quietAuth: true }));
  } catch (e) {
    facts.set(id, { error: e.message });
  }
  listeners.forEach((fn) => fn());
}

/** An attachment of the customer's still being fetched from Facebook (the only fact that is not pushed live). */
function fetching(f) {
  return !!(f && f.messages && Object.values(f.messages).some((s) => (s.attachments || []).some((a) => !a.stored && !a.error)));
}

/**
 * The channel facts of a Messenger conversation (window, page, reactions, attachments). Delivery states are not
 * polled: they come live on the socket as message.updated with data.delivery_status, like a mail reply's.
 * Only while a customer's attachment is still being fetched are the facts asked again.
 */
export function useMessengerFacts(c) {
  const on = isMessenger(c);
  const id = c && c.id;
  const [, setTick] = useState(0);
  const lastMessage = c && c.last_message && c.last_message.id;
  useEffect(() => {
    if (!on) return undefined;
    const fn = () => setTick((t) => t + 1);
    listeners.add(fn);
    refresh(id);
    const timer = setInterval(() => { if (document.visibilityState === 'visible' && fetching(facts.get(id))) refresh(id); }, 4000);
    return () => { listeners.delete(fn); clearInterval(timer); };
  }, [on, id]);
  useEffect(() => { if (on) refresh(id); }, [lastMessage]);
  useEffect(() => {
    // Opening the conversation is reading it: the customer sees "Seen" in Messenger.
    if (on) post(`/v2/channels/messenger/conversations/${id}/actions`, { action: 'mark_seen' }, { quietAuth: true }).catch(() => {});
  }, [on, id]);
  return on ? facts.get(id) || null : null;
}

let lastTyping = 0;

/** The agent types in a Messenger conversation: Messenger shows the dots (at most every 5 s). */
export function messengerTyping(conversationId) {
  const now = Date.now();
  if (now - lastTyping < 5000) return;
  lastTyping = now;
  post(`/v2/channels/messenger/conversations/${conversationId}/actions`, { action: 'typing_on' }, { quietAuth: true }).catch(() => {});
}

/** Why the composer cannot send, or null. */
export function messengerDisabledReason(f) {
  if (!f || f.error || !f.reply || f.reply.can_send) return null;
  return f.reply.reason;
}

const STATUS = {
  sending: 'Sending to Messenger…',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Not delivered',
};

/** Under a message: its Messenger attachments, reaction, delivery state or failure reason. */
export function MessengerMessageExtra({ f, m }) {
  const data = m.data && m.data.messenger;
  const s = f && f.messages && m.id != null ? f.messages[String(m.id)] : null;
  const attachments = (data && data.attachments) || [];
  const stored = s && s.attachments ? s.attachments : [];
  const parts = [];
  if (attachments.length) {
    parts.push(html`<div class="messenger-attachments">${attachments.map((a) => {
      const st = stored.find((x) => x.index === a.index);
      const src = `/v2/channels/messenger/messages/${m.id}/attachments/${a.index}`;
      if (st && st.stored && a.type === 'image') {
        return html`<a key=${a.index} href=${src} target="_blank" rel="noopener"><img class="messenger-image" src=${src} alt="Image from the customer"/></a>`;
      }
      if (st && st.stored) return html`<a key=${a.index} class="btn btn-sm" href=${src} download>Download ${a.type}</a>`;
      return html`<span key=${a.index} class="muted small">${st && st.error ? `The ${a.type} could not be fetched from Facebook.` : `Fetching the ${a.type} from Facebook…`}</span>`;
    })}</div>`);
  }
  if (data && data.sent_outside_parley === true) parts.push(html`<span class="messenger-note">Sent from Facebook</span>`);
  if (data && data.postback) parts.push(html`<span class="messenger-note">Button tapped</span>`);
  // A reaction that came live (message.updated) wins over the facts; null there means it was taken back.
  const liveReaction = m.data && 'messenger_reaction' in m.data ? m.data.messenger_reaction : undefined;
  const reaction = liveReaction !== undefined ? liveReaction && { reaction: liveReaction.reaction, reaction_emoji: liveReaction.emoji } : s;
  if (reaction && reaction.reaction_emoji) {
    parts.push(html`<span class="messenger-reaction" title=${`The customer reacted: ${reaction.reaction || ''}`}>${reaction.reaction_emoji}</span>`);
  }
  // "Seen" is the thread's own mark under the last message the customer saw (the journal's read mark).
  // The live state (message.updated on the socket) wins over the facts fetched when the thread opened.
  const live = m.data && m.data.delivery_status;
  const status = live || (s && s.status);
  const error = live === 'failed' ? m.data.delivery_fail_reason || (s && s.error) : s && s.error;
  if ((live || (s && s.direction === 'out')) && status && status !== 'seen') {
    const when = status === 'delivered' && s && s.delivered_at ? s.delivered_at : null;
    parts.push(html`<span class=${`messenger-status status-${status}`} data-testid="messenger-status" data-delivery=${status}
        title=${when ? fullTime(when) : ''}>
      ${status === 'delivered' || status === 'sent' ? html`<${CheckIcon} size=${14}/>` : null}
      ${STATUS[status] || status}${when ? ` ${clockTime(when)}` : ''}</span>`);
    if (status === 'failed' && error) parts.push(html`<span class="messenger-error" role="note">${error}</span>`);
    else if (status === 'sending' && error) parts.push(html`<span class="muted small">${error}</span>`);
  }
  return parts.length ? html`<div class="messenger-extra">${parts}</div>` : null;
}

/** Above the composer: how a reply will go out, or why it cannot, with the way to Facebook. */
export function MessengerReplyBar({ f }) {
  if (!f) return null;
  if (f.error) return html`<div class="messenger-bar">${f.error}</div>`;
  const r = f.reply || {};
  if (r.window === 'response' && r.can_send) return null;
  return html`<div class=${`messenger-bar ${r.can_send ? '' : 'closed'}`} role="status" data-testid="messenger-reply-bar">
    <${MessengerIcon} size=${16}/>
    <span>${r.reason}</span>
    ${!r.can_send && f.page && f.page.inbox_url ? html`<a href=${f.page.inbox_url} target="_blank" rel="noopener noreferrer">Open the page's inbox</a>` : null}
  </div>`;
}

/** On the visitor card: the customer's Facebook picture and the page the conversation came through. */
export function MessengerCardSection({ c }) {
  const f = useMessengerFacts(c);
  if (!isMessenger(c)) return null;
  if (!f) return html`<section class="card-section"><${Spinner}/></section>`;
  if (f.error) return null;
  return html`<section class="card-section messenger-card" aria-label="Messenger">
    <h3><${MessengerIcon} size=${16}/> Messenger</h3>
    ${f.contact && f.contact.picture_url ? html`<img class="messenger-profile" src=${f.contact.picture_url} alt="Facebook profile picture" width="48" height="48"/>` : null}
    <dl class="kv-list">
      <div class="kv"><dt>Facebook name</dt><dd>${(f.contact && f.contact.name) || 'Not known yet'}</dd></div>
      <div class="kv"><dt>Came through</dt><dd data-testid="messenger-page">${f.page.picture_url ? html`<img class="page-picture-sm" src=${f.page.picture_url} alt="" width="16" height="16"/>` : null} ${f.page.name}</dd></div>
      ${f.page.status === 'reconnect' ? html`<div class="kv"><dt>Page</dt><dd class="danger">Needs reconnecting in Settings</dd></div>` : null}
    </dl>
  </section>`;
}

/**
 * Above every screen, for admins: a connected page whose token Facebook stopped accepting, with the way to fix it
 * (the admins are also mailed once). Asked when the dashboard opens and when the admin moves between screens.
 */
export function MessengerReconnectBanner({ route }) {
  const s = useStore();
  const admin = isAdmin(s.me);
  const [pages, setPages] = useState([]);
  const where = route ? `${route.view}/${route.section || route.tab || ''}` : '';
  useEffect(() => {
    if (!admin) return;
    get('/v2/channels/messenger', { quietAuth: true })
      .then((d) => setPages((d.pages || []).filter((p) => p.needs_reconnect)))
      .catch(() => setPages([]));
  }, [admin, where]);
  if (!admin || !pages.length || (route && route.view === 'settings' && route.section === 'messenger')) return null;
  const names = pages.map((p) => p.name || p.page_id).join(', ');
  return html`<div class="banner banner-warn messenger-reconnect-banner" role="alert" data-testid="messenger-reconnect-banner">
    <${MessengerIcon} size=${16}/>
    <span>Facebook no longer accepts the access token of ${names}: replies to its Messenger conversations are not sent.</span>
    <a href="#/settings/messenger">Reconnect the page</a>
  </div>`;
}
