// Settings for owners and admins: agents, groups, tags, chat-box installation, API tokens, webhooks.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, post, patch, del } from '../api.js';
import { state, changed, useStore, isAdmin, attempt, toast } from '../store.js';
import { loadReference as loadTeam, itemsOf } from '../session.js';
import { loadTabs } from '../conversations.js';
import { fullTime, ago } from '../format.js';
import { Avatar, EmptyState, Spinner, TagChip, Popover } from './common.js';
import { roleLabel } from './topbar.js';
import { Webhooks } from './webhooks.js';
import { EmailSettings, MyNotifications } from './email-settings.js';
import { TrackingSettings } from './tracking-settings.js';
import { MessengerSettings } from './messenger.js';
import { AccountSection, ChatBoxSection } from './account-settings.js';
import { Profile } from './profile.js';
import { OfficeHoursSection } from './office-hours.js';
import { ShortcutsSection } from './shortcuts.js';
import {
  UsersIcon, TagIcon, CodeIcon, KeyIcon, CopyIcon, TrashIcon, LockIcon, PlusIcon, ChevronDownIcon, SendIcon,
  EnvelopeIcon, BellIcon, GlobeIcon, ChatIcon, ClockIcon, NoteIcon,
} from '../icons.js';
import { MessengerIcon } from '../icons.js';

const SECTIONS = [
  ['agents', 'Agents', UsersIcon],
  ['groups', 'Groups', UsersIcon],
  ['tags', 'Tags', TagIcon],
  ['install', 'Chat box', CodeIcon],
  ['tokens', 'API tokens', KeyIcon],
  ['webhooks', 'Webhooks', SendIcon],
  ['account', 'Account', GlobeIcon],
  ['look', 'Look & behaviour', ChatIcon],
  ['hours', 'Office hours', ClockIcon],
  ['shortcuts', 'Shortcuts', NoteIcon],
  ['email', 'Email', EnvelopeIcon],
  ['visitors', 'Visitors', UsersIcon],
  ['messenger', 'Channels: Messenger', MessengerIcon],
  ['profile', 'My profile', UsersIcon],
  ['notifications', 'My notifications', BellIcon],
];

export function Settings({ section }) {
  const s = useStore();
  // My profile, my notifications and shortcuts are every agent's; the rest is for the owner and admins.
  if (!isAdmin(s.me)) {
    const Own = { profile: Profile, shortcuts: ShortcutsSection, notifications: MyNotifications }[section];
    return Own ? html`<div class="settings settings-solo"><main class="settings-main"><${Own}/></main></div>` : html`<${NotAllowed}/>`;
  }
  const Section = { agents: Agents, groups: Groups, tags: Tags, install: Install, tokens: Tokens, webhooks: Webhooks,
    email: EmailSettings, notifications: MyNotifications, visitors: TrackingSettings, messenger: MessengerSettings,
    account: AccountSection, look: ChatBoxSection, hours: OfficeHoursSection, shortcuts: ShortcutsSection, profile: Profile }[section] || Agents;
  return html`<div class="settings">
    <nav class="settings-nav" aria-label="Settings">
      <h1>Settings</h1>
      ${SECTIONS.map(([key, label, Icon]) => html`<a key=${key} href=${`#/settings/${key}`}
        class=${section === key ? 'active' : ''} aria-current=${section === key ? 'page' : undefined}>
        <${Icon} size=${16}/> ${label}</a>`)}
    </nav>
    <main class="settings-main"><${Section}/></main>
  </div>`;
}

export function NotAllowed() {
  return html`<main class="settings-denied">
    <${EmptyState} icon=${html`<${LockIcon} size=${32}/>`} title="You're not allowed to see Settings">
      Settings are for the account owner and admins (full access). Ask one of them if you need a change.
      <br/><a href="#/">Back to conversations</a>
    <//>
  </main>`;
}

function ConfirmButton({ label, confirmLabel = 'Delete', onConfirm }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return html`<button type="button" class="icon-btn danger" aria-label=${label} title=${label}
      onClick=${() => setAsking(true)}><${TrashIcon} size=${16}/></button>`;
  }
  return html`<span class="confirm">
    <button type="button" class="btn btn-danger btn-xs" onClick=${async () => { setAsking(false); await onConfirm(); }}>${confirmLabel}</button>
    <button type="button" class="btn btn-xs" onClick=${() => setAsking(false)}>Cancel</button>
  </span>`;
}

function GroupChecks({ selected, onChange, groups }) {
  if (!groups.length) return html`<p class="muted small pad">No groups yet.</p>`;
  return html`<ul class="picker-list">${groups.map((g) => html`<li key=${g.id}><label class="check-row">
    <input type="checkbox" checked=${selected.includes(g.id)}
      onChange=${(e) => onChange(e.currentTarget.checked ? [...selected, g.id] : selected.filter((x) => x !== g.id))}/>
    <span>${g.name}</span></label></li>`)}</ul>`;
}

/** Team and group changes can switch the inbox between single- and multi-agent tabs. */
async function loadReference() {
  await Promise.all([loadTeam(), loadTabs()]);
}

// ---- agents -----------------------------------------------------------------------------------

function Agents() {
  const s = useStore();
  // Shown at once, so a switch or a select never flicks back while the server answers (any redraw in between
  // would otherwise reset the control to the stored value); put back as it was if the server refuses.
  async function update(agent, fields) {
    const merge = (extra) => {
      state.agents = state.agents.map((a) => (a.id === agent.id ? { ...a, ...extra } : a));
      changed();
    };
    const before = Object.fromEntries(Object.keys(fields).map((k) => [k, agent[k]]));
    merge(fields);
    const res = await attempt(patch(`/v2/agents/${agent.id}`, fields), { success: 'Agent updated' });
    if (res) {
      merge(res.id ? res : {});
      loadTabs();
    } else {
      merge(before);
    }
  }
  const groupName = (id) => (s.groups.find((g) => g.id === id) || {}).name || `#${id}`;
  return html`<section aria-labelledby="agents-h">
    <header class="section-head"><h2 id="agents-h">Agents</h2>
      <p class="muted">People who answer chats. Admins have full access; agents see conversations and their own profile.</p></header>
    <${InviteAgent}/>
    <table class="table">
      <thead><tr><th>Agent</th><th>Role</th><th>Groups</th><th>Active</th><th>Status</th></tr></thead>
      <tbody>
        ${s.agents.map((a) => {
          const groupIds = Array.isArray(a.group_ids) ? a.group_ids : [];
          const owner = a.role === 'owner';
          return html`<tr key=${a.id} data-agent-email=${a.email}>
            <td><div class="agent-cell"><${Avatar} name=${a.name || a.email} colourKey=${a.id} url=${a.avatar_url} size=${30}/>
              <div><strong>${a.name}</strong>${s.me && a.id === s.me.id ? html` <span class="muted small">(you)</span>` : null}
              <div class="muted small">${a.email}</div></div></div></td>
            <td>${owner ? html`<span class="pill">Owner</span>` : html`<select aria-label=${`Role of ${a.name}`} value=${a.role}
                onChange=${(e) => update(a, { role: e.currentTarget.value })}>
                <option value="admin">Admin (full access)</option>
                <option value="agent">Agent (limited access)</option>
              </select>`}</td>
            <td><${Popover} title=${`Groups of ${a.name}`} buttonClass="btn btn-ghost btn-sm" align="left"
                label=${html`${groupIds.length ? groupIds.map(groupName).join(', ') : html`<span class="muted">No group</span>`} <${ChevronDownIcon} size=${14}/>`}>
                <div class="picker"><${GroupChecks} groups=${s.groups} selected=${groupIds}
                  onChange=${(ids) => update(a, { group_ids: ids })}/></div>
              <//></td>
            <td><label class="toggle"><input type="checkbox" role="switch" checked=${a.active !== false} disabled=${owner}
                aria-label=${`${a.name} active`} onChange=${(e) => update(a, { active: e.currentTarget.checked })}/>
                <span class="toggle-track" aria-hidden="true"></span></label></td>
            <td><span class=${`status-dot ${(s.presence.get(a.id) || a.status) === 'online' ? 'online' : ''}`}></span>
              ${{ online: 'Online', away: 'Away' }[s.presence.get(a.id) || a.status] || 'Offline'}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

function InviteAgent() {
  const s = useStore();
  const empty = { name: '', email: '', password: '', role: 'agent', group_ids: [] };
  const [form, setForm] = useState(empty);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/v2/agents', { ...form, email: form.email.trim(), name: form.name.trim() });
      toast(`${form.name.trim() || form.email.trim()} can now sign in`, 'success', 3000);
      setForm(empty);
      setOpen(false);
      await loadReference();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  }
  if (!open) {
    return html`<button type="button" class="btn btn-primary" onClick=${() => setOpen(true)}><${PlusIcon} size=${16}/> Invite agent</button>`;
  }
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  return html`<form class="panel form-grid" onSubmit=${submit} aria-label="Invite agent">
    <label class="field"><span>Name</span><input required maxlength="255" value=${form.name} onInput=${set('name')} autocomplete="off"/></label>
    <label class="field"><span>Email</span><input type="email" required maxlength="255" value=${form.email} onInput=${set('email')} autocomplete="off"/></label>
    <label class="field"><span>Password</span><input type="password" required minlength="8" value=${form.password} onInput=${set('password')} autocomplete="new-password"/></label>
    <label class="field"><span>Role</span><select value=${form.role} onChange=${set('role')}>
      <option value="agent">Agent (limited access)</option><option value="admin">Admin (full access)</option></select></label>
    ${s.groups.length ? html`<fieldset class="field"><legend>Groups</legend>
      <${GroupChecks} groups=${s.groups} selected=${form.group_ids} onChange=${(ids) => setForm({ ...form, group_ids: ids })}/></fieldset>` : null}
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
    <div class="form-actions">
      <button type="button" class="btn" onClick=${() => { setOpen(false); setError(null); }}>Cancel</button>
      <button type="submit" class="btn btn-primary" disabled=${busy}>${busy ? 'Inviting…' : 'Invite'}</button>
    </div>
  </form>`;
}

// ---- groups -----------------------------------------------------------------------------------

function slug(name) {
  return name.toLowerCase().normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50);
}

/**
 * A name or description edited in place: it shows what the admin types until the save is answered, else the
 * stored name. No effect syncs it (an effect runs after paint and could overwrite what was just typed).
 */
function InlineName({ name, label, placeholder, onSave }) {
  const [draft, setDraft] = useState(null);
  async function save(current) {
    try {
      if (current !== name) await onSave(current);
    } finally {
      setDraft(null);
    }
  }
  return html`<input class="inline-input" value=${draft ?? name} aria-label=${label} placeholder=${placeholder}
    onInput=${(e) => setDraft(e.currentTarget.value)}
    onBlur=${(e) => save(e.currentTarget.value)}
    onKeyDown=${(e) => { if (e.key === 'Enter') e.currentTarget.blur(); }}/>`;
}

function Groups() {
  const s = useStore();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  async function create(e) {
    e.preventDefault();
    setError(null);
    try {
      await post('/v2/groups', { name: name.trim(), key: key.trim() || slug(name) });
      setName('');
      setKey('');
      await loadReference();
    } catch (err) {
      setError(err.message);
    }
  }
  async function rename(g, newName) {
    if (!newName.trim() || newName === g.name) return;
    if (await attempt(patch(`/v2/groups/${g.id}`, { name: newName.trim() }), { success: 'Group renamed' })) await loadReference();
  }
  async function remove(g) {
    if ((await attempt(del(`/v2/groups/${g.id}`))) !== undefined) await loadReference();
  }
  return html`<section aria-labelledby="groups-h">
    <header class="section-head"><h2 id="groups-h">Groups</h2>
      <p class="muted">Departments such as Sales or Support. The shop page routes a visitor with <code>smartsupp('group', KEY)</code>;
      agents in a group see that group's conversations.</p></header>
    <form class="panel form-row" onSubmit=${create} aria-label="New group">
      <label class="field"><span>Name</span><input required maxlength="255" value=${name} onInput=${(e) => setName(e.currentTarget.value)}/></label>
      <label class="field"><span>Key</span><input maxlength="100" value=${key} placeholder=${slug(name) || 'sales'} onInput=${(e) => setKey(e.currentTarget.value)}/></label>
      <button type="submit" class="btn btn-primary">Add group</button>
    </form>
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
    ${s.groups.length ? html`<table class="table"><thead><tr><th>Name</th><th>Key</th><th>Agents</th><th></th></tr></thead><tbody>
      ${s.groups.map((g) => html`<tr key=${g.id}>
        <td><${InlineName} name=${g.name} label="Group name" onSave=${(value) => rename(g, value)}/></td>
        <td><code>${g.key}</code></td>
        <td>${s.agents.filter((a) => (a.group_ids || []).includes(g.id)).map((a) => a.name).join(', ') || html`<span class="muted">—</span>`}</td>
        <td class="right"><${ConfirmButton} label=${`Delete group ${g.name}`} onConfirm=${() => remove(g)}/></td>
      </tr>`)}</tbody></table>`
      : html`<${EmptyState} title="No groups">Without groups every agent sees every conversation.<//>`}
  </section>`;
}

// ---- tags -------------------------------------------------------------------------------------

function Tags() {
  const s = useStore();
  const [form, setForm] = useState({ name: '', color: '#3b5bdb', description: '' });
  const [error, setError] = useState(null);
  async function create(e) {
    e.preventDefault();
    setError(null);
    try {
      await post('/v2/tags', { ...form, name: form.name.trim() });
      setForm({ name: '', color: form.color, description: '' });
      await loadReference();
    } catch (err) {
      setError(err.message);
    }
  }
  async function update(t, fields) {
    if (await attempt(patch(`/v2/tags/${t.id}`, fields))) await loadReference();
  }
  async function remove(t) {
    if ((await attempt(del(`/v2/tags/${t.id}`))) !== undefined) await loadReference();
  }
  return html`<section aria-labelledby="tags-h">
    <header class="section-head"><h2 id="tags-h">Tags</h2>
      <p class="muted">Label conversations (order, complaint, VIP…). Agents can also create tags while chatting.</p></header>
    <form class="panel form-row" onSubmit=${create} aria-label="New tag">
      <label class="field"><span>Name</span><input required maxlength="255" value=${form.name} onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })}/></label>
      <label class="field field-colour"><span>Colour</span><input type="color" value=${form.color} onInput=${(e) => setForm({ ...form, color: e.currentTarget.value })}/></label>
      <label class="field grow"><span>Description</span><input maxlength="255" value=${form.description} onInput=${(e) => setForm({ ...form, description: e.currentTarget.value })}/></label>
      <button type="submit" class="btn btn-primary">Add tag</button>
    </form>
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
    ${s.tags.length ? html`<table class="table"><thead><tr><th>Tag</th><th>Colour</th><th>Description</th><th></th></tr></thead><tbody>
      ${s.tags.map((t) => html`<tr key=${t.id}>
        <td><${TagChip} tag=${t}/></td>
        <td><input type="color" value=${/^#[0-9a-fA-F]{6}$/.test(t.color || '') ? t.color : '#6b7280'} aria-label=${`Colour of ${t.name}`}
          onChange=${(e) => update(t, { color: e.currentTarget.value })}/></td>
        <td><${InlineName} name=${t.description || ''} label=${`Description of ${t.name}`} placeholder="—"
          onSave=${(value) => { if (value !== (t.description || '')) update(t, { description: value }); }}/></td>
        <td class="right"><${ConfirmButton} label=${`Delete tag ${t.name}`} onConfirm=${() => remove(t)}/></td>
      </tr>`)}</tbody></table>`
      : html`<${EmptyState} title="No tags yet"/>`}
  </section>`;
}

// ---- chat box install -------------------------------------------------------------------------

function fallbackSnippet(key) {
  const origin = location.origin;
  return `<script type="text/javascript">
var _smartsupp = _smartsupp || {};
_smartsupp.key = '${key}';
window.smartsupp||(function(d) {
  var s,c,o=smartsupp=function(){ o._.push(arguments)};o._=[];
  s=d.getElementsByTagName('script')[0];c=d.createElement('script');
  c.type='text/javascript';c.charset='utf-8';c.async=true;
  c.src='${origin}/chat.js';s.parentNode.insertBefore(c,s);
})(document);
</script>`;
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied to clipboard', 'success', 2000);
  } catch {
    toast('Copying is blocked here — select the text and press Ctrl+C.', 'info');
  }
}

function Install() {
  const s = useStore();
  const [snippet, setSnippet] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    get('/v2/account/install').then((res) => {
      const text = typeof res === 'string' ? res : res && (res.snippet || res.html || res.code);
      setSnippet(text || null);
      if (res && res.key && !state.account) { state.account = { ...(state.account || {}), key: res.key }; changed(); }
      if (!text) setError('missing');
    }).catch((e) => setError(e.message));
  }, []);
  const key = (s.account && (s.account.key || s.account.chat_key)) || null;
  const text = snippet || (key ? fallbackSnippet(key) : null);
  return html`<section aria-labelledby="install-h">
    <header class="section-head"><h2 id="install-h">Chat box</h2>
      <p class="muted">Paste this code on every page of your shop, just before <code>${'</body>'}</code>.
      Shops that used Smartsupp can keep their existing integration calls.</p></header>
    ${key ? html`<p class="kv-inline"><span class="muted">Account key</span> <code data-testid="account-key">${key}</code>
      <button type="button" class="btn btn-ghost btn-xs" onClick=${() => copyText(key)}><${CopyIcon} size=${14}/> Copy key</button></p>` : null}
    ${text ? html`<div class="code-block">
        <pre><code data-testid="install-snippet">${text}</code></pre>
        <button type="button" class="btn btn-primary btn-sm copy-btn" onClick=${() => copyText(text)}><${CopyIcon} size=${14}/> Copy code</button>
      </div>`
      : error && error !== 'missing' ? html`<p class="form-error" role="alert">${error}</p>` : html`<${Spinner}/>`}
    <${IdentitySecret}/>
  </section>`;
}

// The shop's server signs its logged-in customer with this secret, so a visitor who types someone else's email
// cannot take over their contact (docs/API.md "Identity verification").
function IdentitySecret() {
  const [secret, setSecret] = useState(null);
  const [shown, setShown] = useState(false);
  const [asking, setAsking] = useState(false);
  useEffect(() => { get('/v2/account/identity-secret').then((r) => setSecret(r && r.secret)).catch(() => {}); }, []);
  async function rotate() {
    const r = await attempt(post('/v2/account/identity-secret/rotate'), { success: 'New secret made; update your shop' });
    if (r && r.secret) { setSecret(r.secret); setShown(true); }
  }
  if (!secret) return null;
  return html`<div class="panel" aria-labelledby="identity-h">
    <h3 id="identity-h">Identity verification</h3>
    <p class="muted small">Your shop's server signs the logged-in customer's id (or email) with this secret,
      <code>HMAC-SHA256(secret, id)</code> in hex, and the page passes it:
      <code>${"smartsupp('identity', {id, email, name, hash})"}</code>. Only signed identities join an existing
      contact; agents see “Verified” on them. Keep the secret on your server, never in a page.</p>
    <div class="secret-row"><code data-testid="identity-secret">${shown ? secret : '•'.repeat(24)}</code>
      <button type="button" class="btn btn-ghost btn-sm" onClick=${() => setShown(!shown)}>${shown ? 'Hide' : 'Show'}</button>
      <button type="button" class="btn btn-sm" onClick=${() => copyText(secret)}><${CopyIcon} size=${14}/> Copy</button>
      ${asking ? html`<span class="confirm">
          <button type="button" class="btn btn-danger btn-xs" onClick=${() => { setAsking(false); rotate(); }}>Rotate: old signatures stop working</button>
          <button type="button" class="btn btn-xs" onClick=${() => setAsking(false)}>Cancel</button></span>`
        : html`<button type="button" class="btn btn-ghost btn-sm" onClick=${() => setAsking(true)}>Rotate…</button>`}</div>
  </div>`;
}

// ---- API tokens -------------------------------------------------------------------------------

function Tokens() {
  const [tokens, setTokens] = useState(null);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState(null);
  const [error, setError] = useState(null);
  const load = () => get('/v2/tokens').then((r) => setTokens(itemsOf(r))).catch((e) => { setTokens([]); setError(e.message); });
  useEffect(() => { load(); }, []);
  async function create(e) {
    e.preventDefault();
    setError(null);
    try {
      const res = await post('/v2/tokens', { name: name.trim() });
      setSecret({ name: name.trim(), token: res && (res.token || res.secret) });
      setName('');
      load();
    } catch (err) {
      setError(err.message);
    }
  }
  async function revoke(t) {
    if ((await attempt(del(`/v2/tokens/${t.id}`), { success: 'Token revoked' })) !== undefined) load();
  }
  return html`<section aria-labelledby="tokens-h">
    <header class="section-head"><h2 id="tokens-h">API tokens</h2>
      <p class="muted">For your shop's backend and integrations: <code>${'Authorization: Bearer <token>'}</code>. Keep tokens secret.</p></header>
    <form class="panel form-row" onSubmit=${create} aria-label="New API token">
      <label class="field grow"><span>Token name</span><input required maxlength="255" value=${name} placeholder="e.g. Shop backend"
        onInput=${(e) => setName(e.currentTarget.value)}/></label>
      <button type="submit" class="btn btn-primary">Create token</button>
    </form>
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
    ${secret && secret.token ? html`<div class="panel secret" role="status">
      <p><strong>Copy the token for “${secret.name}” now.</strong> It won't be shown again.</p>
      <div class="secret-row"><code data-testid="token-secret">${secret.token}</code>
        <button type="button" class="btn btn-sm" onClick=${() => copyText(secret.token)}><${CopyIcon} size=${14}/> Copy</button>
        <button type="button" class="btn btn-ghost btn-sm" onClick=${() => setSecret(null)}>Done</button></div>
    </div>` : null}
    ${tokens == null ? html`<${Spinner}/>` : tokens.length ? html`<table class="table"><thead><tr><th>Name</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>
      ${tokens.map((t) => html`<tr key=${t.id}><td>${t.name}</td><td title=${fullTime(t.created_at)}>${fullTime(t.created_at)}</td>
        <td>${t.last_used_at ? ago(t.last_used_at) : html`<span class="muted">Never</span>`}</td>
        <td class="right"><${ConfirmButton} label=${`Revoke token ${t.name}`} confirmLabel="Revoke" onConfirm=${() => revoke(t)}/></td></tr>`)}
      </tbody></table>` : html`<${EmptyState} title="No API tokens"/>`}
  </section>`;
}
