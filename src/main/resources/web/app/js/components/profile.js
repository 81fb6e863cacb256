// "My profile", for every agent: display name, avatar, password, sound, and whether signing in puts them online.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, post, patch, put, del } from '../api.js';
import { state, changed, useStore, attempt, toast } from '../store.js';
import { setSoundEnabled } from '../notify.js';
import { Avatar, Spinner } from './common.js';
import { ImagePicker } from './image-crop.js';

function mergeMe(agent) {
  if (!agent || agent.id == null) return;
  state.me = { ...state.me, ...agent };
  state.agents = state.agents.map((a) => (a.id === agent.id ? { ...a, ...agent } : a));
  changed();
}

export function Profile() {
  const s = useStore();
  const me = s.me || {};
  const [name, setName] = useState(me.name || '');
  const [prefs, setPrefs] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get('/v2/me/preferences').then((p) => { setPrefs(p); setSoundEnabled(!!p.sound); }).catch(() => setPrefs({ sound: true, online_on_sign_in: true }));
  }, []);
  async function saveName(e) {
    e.preventDefault();
    mergeMe(await attempt(patch('/auth/me', { name: name.trim() }), { success: 'Name saved' }));
  }
  async function avatar(dataUrl) {
    setBusy(true);
    try { mergeMe(await attempt(put('/v2/me/avatar', { image: dataUrl }), { success: 'Avatar saved' })); } finally { setBusy(false); }
  }
  async function removeAvatar() {
    mergeMe(await attempt(del('/v2/me/avatar'), { success: 'Avatar removed' }));
  }
  async function pref(fields) {
    const p = await attempt(patch('/v2/me/preferences', fields), { success: 'Saved' });
    if (p) { setPrefs(p); setSoundEnabled(!!p.sound); }
  }
  return html`<section aria-labelledby="profile-h">
    <header class="section-head"><h2 id="profile-h">My profile</h2>
      <p class="muted">How visitors and your team see you. Visitors read your name when you join their chat.</p></header>
    <div class="panel profile-card">
      <div class="avatar-edit">
        <${Avatar} name=${name || me.name || me.email} colourKey=${me.id} url=${me.avatar_url} size=${72}/>
        <div><strong>Avatar</strong><p class="muted small">A square picture; without one, your initials show.</p>
          <${ImagePicker} label="Avatar image" current=${me.avatar_url} busy=${busy} onPick=${avatar} onRemove=${removeAvatar}/></div>
      </div>
      <form class="form-row" onSubmit=${saveName} aria-label="Display name">
        <label class="field grow"><span>Display name</span><input required maxlength="255" value=${name}
          onInput=${(e) => setName(e.currentTarget.value)}/></label>
        <button type="submit" class="btn btn-primary" disabled=${!name.trim() || name.trim() === me.name}>Save name</button>
      </form>
      <p class="muted small">Signed in as <strong>${me.email}</strong></p>
    </div>
    <${PasswordChange}/>
    <div class="panel" aria-labelledby="prefs-h">
      <h3 id="prefs-h">Sound and status</h3>
      ${prefs == null ? html`<${Spinner}/>` : html`
        <label class="switch-row"><span class="toggle"><input type="checkbox" role="switch" checked=${prefs.sound}
          onChange=${(e) => pref({ sound: e.currentTarget.checked })}/><span class="toggle-track" aria-hidden="true"></span></span>
          <span>Play a sound for new messages</span></label>
        <label class="switch-row"><span class="toggle"><input type="checkbox" role="switch" checked=${prefs.online_on_sign_in}
          onChange=${(e) => pref({ online_on_sign_in: e.currentTarget.checked })}/><span class="toggle-track" aria-hidden="true"></span></span>
          <span>Go online when I sign in</span></label>
        <p class="muted small">When your last Parley tab closes or your computer sleeps, you show as away after a short while and
          offline after a longer one (set by your admin); you come back online when you return.</p>`}
    </div>
    ${/* Email notification preferences: built by their own component (another change) and mounted here. */ null}
    <div class="panel" id="profile-notifications" data-slot="notification-preferences" aria-label="Email notifications"></div>
  </section>`;
}

function PasswordChange() {
  const empty = { current_password: '', new_password: '', repeat: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  async function submit(e) {
    e.preventDefault();
    setError(null);
    if (form.new_password !== form.repeat) { setError('The new passwords do not match.'); return; }
    setBusy(true);
    try {
      await post('/v2/me/password', { current_password: form.current_password, new_password: form.new_password });
      setForm(empty);
      toast('Password changed. You were signed out everywhere else.', 'success', 4000);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="panel form-grid" onSubmit=${submit} aria-label="Change password">
    <h3 class="span-all">Password</h3>
    <label class="field"><span>Current password</span><input type="password" required autocomplete="current-password"
      value=${form.current_password} onInput=${set('current_password')}/></label>
    <span></span>
    <label class="field"><span>New password</span><input type="password" required minlength="8" autocomplete="new-password"
      value=${form.new_password} onInput=${set('new_password')}/></label>
    <label class="field"><span>Repeat new password</span><input type="password" required minlength="8" autocomplete="new-password"
      value=${form.repeat} onInput=${set('repeat')}/></label>
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
    <div class="form-actions"><button type="submit" class="btn btn-primary" disabled=${busy}>${busy ? 'Changing…' : 'Change password'}</button></div>
  </form>`;
}
