// Shortcuts (canned responses): "/name" or ".name" at the start of the composer opens a picker with fuzzy
// search; variables such as {visitor.name} are filled in when one is picked; any sent message can be saved as
// one; and a settings page lists the agent's own and the team's (team ones: admins).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, post, patch, del } from '../api.js';
import { state, useStore, isAdmin, attempt, toast } from '../store.js';
import { EmptyState, Spinner } from './common.js';

let cache = null;
let loading = null;
const listeners = new Set();

export function loadShortcuts(force) {
  if (loading && !force) return loading;
  loading = get('/v2/shortcuts').then((r) => { cache = (r && r.items) || []; listeners.forEach((f) => f(cache)); return cache; })
    .catch(() => { cache = cache || []; return cache; });
  return loading;
}

function useShortcuts() {
  const [list, setList] = useState(cache);
  useEffect(() => {
    listeners.add(setList);
    if (!cache) loadShortcuts();
    return () => listeners.delete(setList);
  }, []);
  return list;
}

/** The word after "/" or "." when the draft is only that word (the shortcut being looked for), else null. */
export function shortcutQuery(text) {
  const m = /^[/.]([\p{L}\p{N}_-]*)$/u.exec(text);
  return m ? m[1] : null;
}

/** Letters of the query in order within the name; earlier, tighter and prefix matches score higher; -1: none. */
export function fuzzyScore(query, name) {
  const q = query.toLowerCase(), n = name.toLowerCase();
  if (!q) return 1;
  if (n.startsWith(q)) return 1000 - n.length;
  let at = -1, gaps = 0;
  for (const ch of q) {
    const i = n.indexOf(ch, at + 1);
    if (i < 0) return -1;
    gaps += i - at - 1;
    at = i;
  }
  return 500 - gaps * 10 - n.length;
}

export function matches(list, query) {
  return (list || []).map((s) => ({ s, score: fuzzyScore(query, s.name) })).filter((x) => x.score >= 0)
    .sort((a, b) => b.score - a.score || a.s.name.localeCompare(b.s.name)).slice(0, 8).map((x) => x.s);
}

/** {visitor.name}, {visitor.email}, {agent.name}, {shop.name}: filled in; a variable with no value becomes empty. */
export function expand(text, conversationId) {
  const c = state.convs.get(conversationId) || {};
  const v = c.visitor || {};
  const values = {
    'visitor.name': v.name || '', 'visitor.email': v.email || '', 'visitor.phone': v.phone || '',
    'agent.name': (state.me && state.me.name) || '', 'shop.name': (state.account && state.account.name) || '',
  };
  return text.replace(/\{(visitor\.name|visitor\.email|visitor\.phone|agent\.name|shop\.name)\}/g, (m, k) => values[k]);
}

/** The list under the composer while a shortcut is typed; the composer drives it with the keyboard. */
export function ShortcutPicker({ query, active, onPick, onHover }) {
  const list = useShortcuts();
  if (list == null) return null;
  const found = matches(list, query);
  return html`<div class="shortcut-picker" role="listbox" aria-label="Shortcuts">
    ${found.length ? found.map((s, i) => html`<div role="option" key=${s.id} id=${`shortcut-${s.id}`}
        aria-selected=${i === active ? 'true' : 'false'} class=${`shortcut-option ${i === active ? 'active' : ''}`}
        onMouseDown=${(e) => { e.preventDefault(); onPick(s); }} onMouseEnter=${() => onHover(i)}>
        <span class="shortcut-name">/${s.name}</span>${s.scope === 'team' ? html`<span class="pill">Team</span>` : null}
        <span class="shortcut-text muted">${s.text}</span></div>`)
      : html`<div class="shortcut-empty muted small">No shortcut matches “${query}”. <a href="#/settings/shortcuts">Manage shortcuts</a></div>`}
  </div>`;
}

/** The picker's current list, for the composer's keyboard handling. */
export function currentMatches(query) {
  return matches(cache || [], query);
}

/** "Save as shortcut" under a sent message: asks for a name, then keeps the text as the agent's own shortcut. */
export function SaveAsShortcut({ text }) {
  const [asking, setAsking] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState(null);
  if (!asking) {
    return html`<button type="button" class="link-btn save-shortcut" onClick=${() => setAsking(true)}>Save as shortcut</button>`;
  }
  async function save(e) {
    e.preventDefault();
    setError(null);
    try {
      const s = await post('/v2/shortcuts', { name: name.trim(), text, scope: 'personal' });
      toast(`Saved as /${s.name}`, 'success', 3000);
      setAsking(false);
      setName('');
      loadShortcuts(true);
    } catch (err) {
      setError(err.message);
    }
  }
  return html`<form class="save-shortcut-form" onSubmit=${save} aria-label="Save as shortcut">
    <span aria-hidden="true">/</span><input aria-label="Shortcut name" maxlength="50" required value=${name} autofocus
      onInput=${(e) => setName(e.currentTarget.value)} placeholder="name"/>
    <button type="submit" class="btn btn-primary btn-xs">Save</button>
    <button type="button" class="btn btn-xs" onClick=${() => { setAsking(false); setError(null); }}>Cancel</button>
    ${error ? html`<span class="form-error small" role="alert">${error}</span>` : null}
  </form>`;
}

export function ShortcutsSection() {
  const s = useStore();
  const list = useShortcuts();
  const admin = isAdmin(s.me);
  const empty = { name: '', text: '', scope: 'personal' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState(null);
  async function create(e) {
    e.preventDefault();
    setError(null);
    try {
      await post('/v2/shortcuts', { ...form, name: form.name.trim() });
      toast(`/${form.name.trim()} saved`, 'success', 2500);
      setForm({ ...empty, scope: form.scope });
      loadShortcuts(true);
    } catch (err) {
      setError(err.message);
    }
  }
  async function update(sc, fields) {
    if (await attempt(patch(`/v2/shortcuts/${sc.id}`, fields), { success: 'Shortcut saved' })) loadShortcuts(true);
  }
  async function remove(sc) {
    if ((await attempt(del(`/v2/shortcuts/${sc.id}`), { success: 'Shortcut deleted' })) !== undefined) loadShortcuts(true);
  }
  const editable = (sc) => sc.scope === 'personal' || admin;
  return html`<section aria-labelledby="shortcuts-h">
    <header class="section-head"><h2 id="shortcuts-h">Shortcuts</h2>
      <p class="muted">Type <code>/name</code> or <code>.name</code> in the reply box to insert one. Texts may use
        <code>{visitor.name}</code>, <code>{visitor.email}</code>, <code>{agent.name}</code> and <code>{shop.name}</code>.
        ${admin ? ' Team shortcuts are shared with every agent.' : ' Team shortcuts are made by admins.'}</p></header>
    <form class="panel form-grid" onSubmit=${create} aria-label="New shortcut">
      <label class="field"><span>Name (one word)</span><input required maxlength="50" value=${form.name} placeholder="thanks"
        onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })}/></label>
      ${admin ? html`<label class="field"><span>For</span><select value=${form.scope} onChange=${(e) => setForm({ ...form, scope: e.currentTarget.value })}>
        <option value="personal">Only me</option><option value="team">The whole team</option></select></label>` : html`<span></span>`}
      <label class="field span-all-field"><span>Text</span><textarea rows="3" required value=${form.text}
        onInput=${(e) => setForm({ ...form, text: e.currentTarget.value })} placeholder="Thank you, {visitor.name}! Anything else I can help with?"></textarea></label>
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
      <div class="form-actions"><button type="submit" class="btn btn-primary">Add shortcut</button></div>
    </form>
    ${list == null ? html`<${Spinner}/>` : list.length ? html`<table class="table shortcuts-table"><thead><tr><th>Name</th><th>Text</th><th>For</th></tr></thead><tbody>
      ${list.map((sc) => html`<tr key=${sc.id} data-shortcut=${sc.name}>
        <td><code>/${sc.name}</code></td>
        <td>${editable(sc) ? html`<textarea class="inline-input shortcut-edit" rows="2" aria-label=${`Text of /${sc.name}`} value=${sc.text}
          onBlur=${(e) => { if (e.currentTarget.value.trim() && e.currentTarget.value !== sc.text) update(sc, { text: e.currentTarget.value }); }}/>` : html`<span class="pre-wrap">${sc.text}</span>`}</td>
        <td>${sc.scope === 'team' ? 'Team' : 'Me'}
          ${editable(sc) ? html` <button type="button" class="link-btn danger" aria-label=${`Delete /${sc.name}`} onClick=${() => remove(sc)}>Delete</button>` : null}</td>
      </tr>`)}</tbody></table>` : html`<${EmptyState} title="No shortcuts yet">Save answers you give often, or save a sent message from a conversation.<//>`}
  </section>`;
}
