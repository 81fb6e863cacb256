// Settings → Webhooks: endpoints that receive chat events (docs/WEBHOOKS.md), their delivery log, a test event
// and a resend per delivery. The secret is shown once, right after creation, as API tokens are.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, post, patch, del } from '../api.js';
import { attempt } from '../store.js';
import { fullTime } from '../format.js';
import { EmptyState, Spinner } from './common.js';
import { CopyIcon, TrashIcon } from '../icons.js';

// Smartsupp's names; the last ones are accepted but Parley has no event that sends them yet.
export const WEBHOOK_EVENTS = [
  ['conversation.opened', 'Conversation opened'],
  ['conversation.closed', 'Conversation closed by an agent'],
  ['conversation.closed_by_contact', 'Conversation closed by the visitor'],
  ['conversation.rated', 'Conversation rated'],
  ['conversation.agent_assigned', 'Agent assigned'],
  ['conversation.agent_unassigned', 'Agent unassigned'],
  ['conversation.agent_joined', 'Agent joined'],
  ['conversation.agent_left', 'Agent left'],
  ['conversation.agent_replied', 'Agent replied'],
  ['conversation.contact_replied', 'Visitor replied'],
  ['conversation.message_delivered', 'Email reply delivered'],
  ['conversation.message_delivery_failed', 'Email reply failed'],
  ['contact.updated', 'Contact updated'],
];

const STATE_LABEL = { pending: 'Waiting', delivered: 'Delivered', dead: 'Failed' };

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Clipboard refused (no permission, plain http): the secret stays visible to copy by hand.
  }
}

function EventChecks({ selected, onChange, idPrefix }) {
  return html`<fieldset class="event-checks"><legend>Events</legend>
    ${WEBHOOK_EVENTS.map(([name, label]) => html`<label key=${name} class="check-row">
      <input type="checkbox" id=${`${idPrefix}-${name}`} checked=${selected.includes(name)}
        onChange=${(e) => onChange(e.currentTarget.checked ? [...selected, name] : selected.filter((x) => x !== name))}/>
      <span>${label} <code class="muted small">${name}</code></span></label>`)}
  </fieldset>`;
}

export function Webhooks() {
  const [hooks, setHooks] = useState(null);
  const [form, setForm] = useState({ url: '', events: ['conversation.opened', 'conversation.contact_replied'] });
  const [error, setError] = useState(null);
  const [secret, setSecret] = useState(null);
  const [open, setOpen] = useState(null);
  const load = () => get('/v2/webhooks').then((r) => setHooks(Array.isArray(r) ? r : [])).catch((e) => { setHooks([]); setError(e.message); });
  useEffect(() => { load(); }, []);
  async function create(e) {
    e.preventDefault();
    setError(null);
    try {
      const res = await post('/v2/webhooks', { url: form.url.trim(), events: form.events });
      setSecret({ url: res.url, secret: res.secret });
      setForm({ ...form, url: '' });
      load();
    } catch (err) {
      setError(err.message);
    }
  }
  async function update(h, fields) {
    if (await attempt(patch(`/v2/webhooks/${h.id}`, fields), { success: 'Webhook saved' })) load();
  }
  async function remove(h) {
    if ((await attempt(del(`/v2/webhooks/${h.id}`), { success: 'Webhook deleted' })) !== undefined) {
      if (open === h.id) setOpen(null);
      load();
    }
  }
  return html`<section aria-labelledby="webhooks-h">
    <header class="section-head"><h2 id="webhooks-h">Webhooks</h2>
      <p class="muted">Parley posts chat events to your CRM or automation, signed with a secret
        (<code>X-Parley-Signature</code>). Failed deliveries are retried with growing pauses for about 7 hours.</p></header>
    <form class="panel" onSubmit=${create} aria-label="New webhook">
      <div class="form-row">
        <label class="field grow"><span>Endpoint URL</span><input required type="url" maxlength="2048" value=${form.url}
          placeholder="https://crm.example.com/parley" onInput=${(e) => setForm({ ...form, url: e.currentTarget.value })}/></label>
        <button type="submit" class="btn btn-primary">Add webhook</button>
      </div>
      <${EventChecks} idPrefix="new" selected=${form.events} onChange=${(events) => setForm({ ...form, events })}/>
    </form>
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
    ${secret ? html`<div class="panel secret" role="status">
      <p><strong>Copy the signing secret for ${secret.url} now.</strong> It won't be shown again.</p>
      <div class="secret-row"><code data-testid="webhook-secret">${secret.secret}</code>
        <button type="button" class="btn btn-sm" onClick=${() => copyText(secret.secret)}><${CopyIcon} size=${14}/> Copy</button>
        <button type="button" class="btn btn-sm" onClick=${() => setSecret(null)}>Done</button></div>
    </div>` : null}
    ${hooks == null ? html`<${Spinner}/>` : hooks.length ? html`<ul class="webhook-list">
      ${hooks.map((h) => html`<li key=${h.id} class="panel webhook">
        <${Endpoint} hook=${h} open=${open === h.id} onToggle=${() => setOpen(open === h.id ? null : h.id)}
          onUpdate=${(fields) => update(h, fields)} onRemove=${() => remove(h)}/></li>`)}
    </ul>` : html`<${EmptyState} title="No webhooks yet"/>`}
  </section>`;
}

function Endpoint({ hook, open, onToggle, onUpdate, onRemove }) {
  const [url, setUrl] = useState(hook.url);
  const [events, setEvents] = useState(hook.events);
  const [asking, setAsking] = useState(false);
  useEffect(() => { setUrl(hook.url); setEvents(hook.events); }, [hook.url, hook.events.join(',')]);
  return html`<div class="webhook-head">
      <code class="webhook-url">${hook.url}</code>
      ${hook.active ? null : html`<span class="badge">Paused</span>`}
      ${hook.dead_deliveries ? html`<span class="badge badge-danger" title="Deliveries that failed after every retry">${hook.dead_deliveries} failed</span>` : null}
      <span class="grow"></span>
      <button type="button" class="btn btn-sm" aria-expanded=${open} onClick=${onToggle}>${open ? 'Close' : 'Edit and log'}</button>
      ${asking ? html`<span class="confirm">
          <button type="button" class="btn btn-danger btn-xs" onClick=${() => { setAsking(false); onRemove(); }}>Delete</button>
          <button type="button" class="btn btn-xs" onClick=${() => setAsking(false)}>Cancel</button></span>`
        : html`<button type="button" class="icon-btn danger" aria-label=${`Delete webhook ${hook.url}`} title="Delete"
          onClick=${() => setAsking(true)}><${TrashIcon} size=${16}/></button>`}
    </div>
    ${open ? html`<form class="webhook-edit" aria-label=${`Edit webhook ${hook.url}`}
        onSubmit=${(e) => { e.preventDefault(); onUpdate({ url: url.trim(), events }); }}>
      <div class="form-row">
        <label class="field grow"><span>Endpoint URL</span><input required type="url" maxlength="2048" value=${url}
          onInput=${(e) => setUrl(e.currentTarget.value)}/></label>
        <label class="check-row"><input type="checkbox" checked=${hook.active}
          onChange=${(e) => onUpdate({ active: e.currentTarget.checked })}/> <span>Active</span></label>
        <button type="submit" class="btn btn-primary">Save</button>
      </div>
      <${EventChecks} idPrefix=${`hook-${hook.id}`} selected=${events} onChange=${setEvents}/>
    </form>
    <${Deliveries} hook=${hook}/>` : null}`;
}

function Deliveries({ hook }) {
  const [items, setItems] = useState(null);
  const load = () => get(`/v2/webhooks/${hook.id}/deliveries?limit=50`).then((r) => setItems((r && r.items) || [])).catch(() => setItems([]));
  useEffect(() => {
    load();
    // The log changes on its own while retries run: refresh it while it is open.
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [hook.id]);
  async function sendTest() {
    if (await attempt(post(`/v2/webhooks/${hook.id}/test`), { success: 'Test event queued' })) load();
  }
  async function resend(d) {
    if (await attempt(post(`/v2/webhooks/${hook.id}/deliveries/${d.id}/resend`), { success: 'Delivery queued again' })) load();
  }
  return html`<div class="webhook-log">
    <div class="form-row"><h3 class="grow">Deliveries</h3>
      <button type="button" class="btn btn-sm" onClick=${sendTest}>Send test event</button></div>
    ${items == null ? html`<${Spinner}/>` : items.length ? html`<table class="table" aria-label=${`Deliveries to ${hook.url}`}>
      <thead><tr><th>Event</th><th>State</th><th>Attempts</th><th>Last answer</th><th>Created</th><th></th></tr></thead><tbody>
      ${items.map((d) => html`<tr key=${d.id} data-state=${d.state}>
        <td><code>${d.event}</code>${d.conversation_id ? html` <span class="muted small">#${d.conversation_id}</span>` : null}</td>
        <td>${STATE_LABEL[d.state] || d.state}</td>
        <td>${d.attempts}</td>
        <td title=${d.last_error || ''}>${d.last_status ? `HTTP ${d.last_status}` : d.last_error || '—'}</td>
        <td>${fullTime(d.created_at)}</td>
        <td class="right">${d.state === 'pending' ? null : html`<button type="button" class="btn btn-xs"
          aria-label=${`Resend delivery ${d.id}`} onClick=${() => resend(d)}>Resend</button>`}</td>
      </tr>`)}</tbody></table>` : html`<p class="muted small">Nothing sent yet.</p>`}
  </div>`;
}
