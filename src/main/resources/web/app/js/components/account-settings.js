// Owner/admin settings for the shop itself (name, logo, language, timezone, presence timings) and for the look
// and behaviour of its chat box, with a live preview. The page's own _smartsupp keys still win in the chat box.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, patch, put, del } from '../api.js';
import { state, changed, useStore, attempt } from '../store.js';
import { Avatar, Spinner } from './common.js';
import { ImagePicker } from './image-crop.js';

export const LANGUAGES = [['en', 'English'], ['cs', 'Čeština'], ['de', 'Deutsch'], ['es', 'Español'], ['fr', 'Français'],
  ['sk', 'Slovenčina'], ['pl', 'Polski'], ['it', 'Italiano'], ['nl', 'Nederlands'], ['pt', 'Português'], ['hu', 'Magyar']];

function zones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch { return ['UTC', 'Europe/Prague', 'Europe/London', 'America/New_York']; }
}

export function AccountSection() {
  const [v, setV] = useState(null);
  const [form, setForm] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { get('/v2/account/settings').then((r) => { setV(r); setForm(r); }).catch((e) => setError(e.message)); }, []);
  if (!form) return error ? html`<p class="form-error" role="alert">${error}</p>` : html`<${Spinner}/>`;
  const set = (k, num) => (e) => setForm({ ...form, [k]: num ? Number(e.currentTarget.value) : e.currentTarget.value });
  function shown(r) {
    setV(r);
    setForm({ ...form, logo_url: r.logo_url, name: r.name });
    state.account = { ...(state.account || {}), name: r.name };
    changed();
  }
  async function save(e) {
    e.preventDefault();
    setError(null);
    try {
      const r = await patch('/v2/account/settings', { name: form.name, language: form.language, timezone: form.timezone,
        away_after_seconds: form.away_after_seconds, offline_after_seconds: form.offline_after_seconds });
      shown(r);
      await attempt(Promise.resolve(r), { success: 'Account settings saved' });
    } catch (err) {
      setError(err.message);
    }
  }
  async function logo(dataUrl) {
    setBusy(true);
    try { const r = await attempt(put('/v2/account/logo', { image: dataUrl }), { success: 'Logo saved' }); if (r) shown(r); } finally { setBusy(false); }
  }
  async function removeLogo() {
    const r = await attempt(del('/v2/account/logo'), { success: 'Logo removed' });
    if (r) shown(r);
  }
  const zoneList = zones().includes(form.timezone) ? zones() : [form.timezone, ...zones()];
  return html`<section aria-labelledby="account-h">
    <header class="section-head"><h2 id="account-h">Account</h2>
      <p class="muted">Your shop as visitors see it: its name and logo head the chat box.</p></header>
    <div class="panel avatar-edit">
      <${Avatar} name=${v.name} colourKey=${v.name} url=${v.logo_url} size=${64}/>
      <div><strong>Logo</strong><p class="muted small">Shown in the chat box's header until an agent joins. Square images look best.</p>
        <${ImagePicker} label="Logo image" current=${v.logo_url} busy=${busy} keepTransparency onPick=${logo} onRemove=${removeLogo}/></div>
    </div>
    <form class="panel form-grid" onSubmit=${save} aria-label="Account settings">
      <label class="field"><span>Shop name</span><input required maxlength="255" value=${form.name} onInput=${set('name')}/></label>
      <label class="field"><span>Default language</span><select value=${form.language} onChange=${set('language')}>
        ${LANGUAGES.map(([k, n]) => html`<option value=${k}>${n}</option>`)}</select></label>
      <label class="field"><span>Timezone</span><select value=${form.timezone} onChange=${set('timezone')}>
        ${zoneList.map((z) => html`<option value=${z}>${z.replace(/_/g, ' ')}</option>`)}</select></label>
      <span></span>
      <label class="field"><span>Away after (seconds without a Parley tab)</span><input type="number" min="1" required
        value=${form.away_after_seconds} onInput=${set('away_after_seconds', true)}/></label>
      <label class="field"><span>Offline after (seconds)</span><input type="number" min="2" required
        value=${form.offline_after_seconds} onInput=${set('offline_after_seconds', true)}/></label>
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
      <div class="form-actions"><button type="submit" class="btn btn-primary">Save</button></div>
    </form>
  </section>`;
}

// ---- chat box look ----------------------------------------------------------------------------

const DEFAULT_TEXTS = { greeting: 'Hi there! How can we help you today?',
  offline: "We're away right now. Leave us a message and we'll get back to you by email." };

export function ChatBoxSection() {
  const s = useStore();
  const [c, setC] = useState(null);
  const [lang, setLang] = useState('en');
  const [offlinePreview, setOfflinePreview] = useState(false);
  const [error, setError] = useState(null);
  const [accountName, setAccountName] = useState('');
  const [logo, setLogo] = useState(null);
  useEffect(() => {
    get('/v2/account/chat-box').then(setC).catch((e) => setError(e.message));
    get('/v2/account/settings').then((a) => { setAccountName(a.name); setLogo(a.logo_url); setLang(a.language || 'en'); }).catch(() => {});
  }, []);
  if (!c) return error ? html`<p class="form-error" role="alert">${error}</p>` : html`<${Spinner}/>`;
  const set = (k, v) => setC({ ...c, [k]: v });
  const text = (kind, value) => setC({ ...c, [kind]: { ...c[kind], [lang]: value } });
  const groups = s.groups || [];
  const picked = c.group_keys == null ? groups.map((g) => g.key) : c.group_keys;
  async function save(e) {
    e.preventDefault();
    setError(null);
    const clean = (m) => Object.fromEntries(Object.entries(m || {}).filter(([, t]) => t && t.trim()));
    try {
      const saved = await patchChatBox({ ...c, greetings: clean(c.greetings), offline_texts: clean(c.offline_texts) });
      setC(saved);
      await attempt(Promise.resolve(saved), { success: 'Chat box settings saved' });
    } catch (err) {
      setError(err.message);
    }
  }
  const pre = c.pre_chat_form;
  return html`<section aria-labelledby="look-h">
    <header class="section-head"><h2 id="look-h">Chat box settings</h2>
      <p class="muted">How the chat box looks and behaves on your shop. A page's own <code>_smartsupp</code> keys
        (such as <code>color</code> or <code>orientation</code>) still win there.</p></header>
    <div class="look-grid">
      <form class="panel look-form" onSubmit=${save} aria-label="Chat box settings">
        <div class="form-row">
          <label class="field field-colour"><span>Colour</span><input type="color" value=${c.color} onInput=${(e) => set('color', e.currentTarget.value)}/></label>
          <label class="field"><span>Position</span><select value=${c.position} onChange=${(e) => set('position', e.currentTarget.value)}>
            <option value="right">Bottom right</option><option value="left">Bottom left</option></select></label>
          <label class="field"><span>Side offset (px)</span><input type="number" min="0" max="400" value=${c.offset_x}
            onInput=${(e) => set('offset_x', Number(e.currentTarget.value))}/></label>
          <label class="field"><span>Bottom offset (px)</span><input type="number" min="0" max="400" value=${c.offset_y}
            onInput=${(e) => set('offset_y', Number(e.currentTarget.value))}/></label>
        </div>
        <fieldset class="field texts"><legend>Texts</legend>
          <label class="field"><span>Language of these texts</span><select value=${lang} onChange=${(e) => setLang(e.currentTarget.value)}>
            ${LANGUAGES.map(([k, n]) => html`<option value=${k}>${n}${(c.greetings || {})[k] || (c.offline_texts || {})[k] ? ' ✓' : ''}</option>`)}</select></label>
          <label class="field"><span>Greeting (someone is online)</span><textarea rows="2" maxlength="1000" placeholder=${DEFAULT_TEXTS.greeting}
            value=${(c.greetings || {})[lang] || ''} onInput=${(e) => text('greetings', e.currentTarget.value)}/></label>
          <label class="field"><span>Offline text (contact form)</span><textarea rows="2" maxlength="1000" placeholder=${DEFAULT_TEXTS.offline}
            value=${(c.offline_texts || {})[lang] || ''} onInput=${(e) => text('offline_texts', e.currentTarget.value)}/></label>
          <p class="muted small">Left empty, visitors read Parley's own words in their language.</p>
        </fieldset>
        <${Switch} label="Ask visitors to rate the chat when it ends" checked=${c.rating_enabled} onChange=${(v) => set('rating_enabled', v)}/>
        <${Switch} label="Show the chat box on phones" checked=${c.show_on_mobile} onChange=${(v) => set('show_on_mobile', v)}/>
        <${Switch} label="Ask for name and email before the first message" checked=${pre.enabled}
          onChange=${(v) => set('pre_chat_form', { ...pre, enabled: v })}/>
        ${pre.enabled ? html`<div class="sub-checks">
          <label class="check-row"><input type="checkbox" checked=${pre.ask_name} onChange=${(e) => set('pre_chat_form', { ...pre, ask_name: e.currentTarget.checked })}/><span>Name</span></label>
          <label class="check-row"><input type="checkbox" checked=${pre.ask_email} onChange=${(e) => set('pre_chat_form', { ...pre, ask_email: e.currentTarget.checked })}/><span>Email</span></label>
          <label class="check-row"><input type="checkbox" checked=${pre.email_required} disabled=${!pre.ask_email}
            onChange=${(e) => set('pre_chat_form', { ...pre, email_required: e.currentTarget.checked })}/><span>Email is required</span></label>
        </div>` : null}
        ${groups.length ? html`<fieldset class="field"><legend>Departments visitors may pick</legend>
          <ul class="picker-list">${groups.map((g) => html`<li key=${g.id}><label class="check-row">
            <input type="checkbox" checked=${picked.includes(g.key)}
              onChange=${(e) => set('group_keys', e.currentTarget.checked ? [...picked, g.key] : picked.filter((k) => k !== g.key))}/>
            <span>${g.name}</span></label></li>`)}</ul></fieldset>` : null}
        ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
        <div class="form-actions"><button type="submit" class="btn btn-primary">Save</button></div>
      </form>
      <div class="look-preview-wrap">
        <div class="preview-head"><strong>Preview</strong>
          <label class="check-row"><input type="checkbox" checked=${offlinePreview} onChange=${(e) => setOfflinePreview(e.currentTarget.checked)}/>
            <span>Nobody online</span></label></div>
        <${Preview} c=${c} lang=${lang} offline=${offlinePreview} name=${accountName || (s.account && s.account.name) || ''} logo=${logo}/>
      </div>
    </div>
  </section>`;
}

function patchChatBox(body) {
  return put('/v2/account/chat-box', body);
}

function Switch({ label, checked, onChange }) {
  return html`<label class="switch-row"><span class="toggle"><input type="checkbox" role="switch" checked=${checked}
    onChange=${(e) => onChange(e.currentTarget.checked)}/><span class="toggle-track" aria-hidden="true"></span></span>
    <span>${label}</span></label>`;
}

/** A picture of the chat box with the settings being edited: nothing here talks to the server. */
function Preview({ c, lang, offline, name, logo }) {
  const greeting = (offline ? (c.offline_texts || {})[lang] : (c.greetings || {})[lang]) || (offline ? DEFAULT_TEXTS.offline : DEFAULT_TEXTS.greeting);
  const side = c.position === 'left' ? `left:${Math.min(c.offset_x, 120)}px` : `right:${Math.min(c.offset_x, 120)}px`;
  const pos = `${side};bottom:${Math.min(c.offset_y, 120)}px`;
  const pre = c.pre_chat_form;
  return html`<div class="look-preview" aria-label="Chat box preview" style=${`--brand:${c.color}`}>
    <div class="pv-panel" style=${pos.replace(/bottom:(\d+)px/, (m, n) => `bottom:${Number(n) + 68}px`)}>
      <div class="pv-head"><${Avatar} name=${name || 'Shop'} colourKey=${name} url=${logo} size=${32}/>
        <div><strong>${name || 'Your shop'}</strong><div class="small">${offline ? 'Leave us a message' : "We're online"}</div></div></div>
      <div class="pv-body">
        <p class="pv-greet">${greeting}</p>
        ${offline ? html`<div class="pv-card"><div class="pv-field">Email *</div><div class="pv-field">Name</div><div class="pv-btn">Send message</div></div>`
          : pre.enabled ? html`<div class="pv-card">${pre.ask_name ? html`<div class="pv-field">Name</div>` : null}
              ${pre.ask_email ? html`<div class="pv-field">Email${pre.email_required ? ' *' : ''}</div>` : null}<div class="pv-btn">Start chat</div></div>`
          : html`<div class="pv-bubble">Hello, is the green tea in stock?</div>`}
        ${c.rating_enabled && !offline ? html`<div class="pv-rate">How was your chat? 🙂 😐 🙁</div>` : null}
      </div>
      ${offline || pre.enabled ? null : html`<div class="pv-composer">Write a message…</div>`}
    </div>
    <div class="pv-launcher" style=${pos}></div>
  </div>`;
}
