// Settings → Visitors (issue #11): IP anonymising and IP blocking rules. Admins only (the server checks too).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, patch, post, del } from '../api.js';
import { toast } from '../store.js';
import { Spinner } from './common.js';
import { RecordingSettings } from './recording-settings.js';

export function TrackingSettings() {
  const [settings, setSettings] = useState(null);
  const [pattern, setPattern] = useState('');
  const [error, setError] = useState(null);
  const load = () => get('/v2/tracking').then(setSettings, (e) => toast(e.message));
  useEffect(() => { load(); }, []);
  if (!settings) return html`<${Spinner} label="Loading…"/>`;

  async function toggle(e) {
    try {
      setSettings(await patch('/v2/tracking', { anonymize_ip: e.currentTarget.checked }));
    } catch (err) {
      toast(err.message);
    }
  }
  async function add(e) {
    e.preventDefault();
    setError(null);
    try {
      await post('/v2/tracking/ip-blocks', { pattern });
      setPattern('');
      load();
    } catch (err) {
      setError(err.message);
    }
  }
  async function remove(id) {
    try {
      await del(`/v2/tracking/ip-blocks/${id}`);
      load();
    } catch (err) {
      toast(err.message);
    }
  }
  return html`<section class="visitor-settings" aria-labelledby="visitor-settings-h">
    <header class="section-head"><h2 id="visitor-settings-h">Visitors</h2>
      <p class="muted">What Parley keeps about the people browsing your shop, and who may not chat.</p></header>
    <label class="check-row"><input type="checkbox" checked=${settings.anonymize_ip} onChange=${toggle}/>
      Anonymise IP addresses <span class="muted small">— the location is looked up first, then only a shortened address
      (203.0.113.0) is kept.</span></label>
    <h3>Blocked IP addresses</h3>
    <p class="muted small">Visitors from these addresses don't see the chat box and can't send messages.
      Use an address (192.168.0.7), a wildcard (192.168.0.*) or a range (10.0.0.0/8).</p>
    <form class="panel inline-form" onSubmit=${add} aria-label="Block an IP address">
      <input value=${pattern} maxlength="64" placeholder="192.168.0.*" aria-label="IP address or pattern"
        onInput=${(e) => setPattern(e.currentTarget.value)}/>
      <button type="submit" class="btn btn-primary btn-sm" disabled=${!pattern.trim()}>Block</button>
    </form>
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
    ${settings.blocked_ips.length ? html`<ul class="ip-blocks">${settings.blocked_ips.map((b) => html`<li key=${b.id}>
        <code>${b.pattern}</code> <button type="button" class="btn btn-sm" onClick=${() => remove(b.id)}>Unblock</button></li>`)}</ul>`
      : html`<p class="muted small">No IP addresses are blocked.</p>`}
    <${RecordingSettings}/>
  </section>`;
}
