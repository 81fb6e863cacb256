// Settings → Visitors → Session recordings (issue #16): the account's switch, extra masks and retention. Inputs are
// always masked and card and password fields never recorded; these only add to that. Admins only (the server checks).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, patch } from '../api.js';
import { toast } from '../store.js';
import { Spinner } from './common.js';

const CHOICES = [
  ['enabled', 'Record visitors’ sessions', 'a replay on the visitor card, a few minutes after they leave'],
  ['mask_all_text', 'Mask all text on the page', 'visitors’ typing is always masked; this hides the page’s own words too'],
  ['mask_numbers', 'Mask numbers', 'prices, order numbers and every other digit show as ✱'],
  ['mask_emails', 'Mask email addresses', 'addresses written on the page show as ✱'],
  ['consent_mode', 'Record only after consent', 'your page calls smartsupp(\'analyticsConsent\', true) once the visitor agrees'],
  ['exclude_mobile', 'Leave phones and tablets unrecorded', 'visitors on a mobile device are never recorded'],
];

export function RecordingSettings() {
  const [s, setS] = useState(null);
  const [days, setDays] = useState('');
  const [error, setError] = useState(null);
  useEffect(() => { get('/v2/recording/settings').then((r) => { setS(r); setDays(String(r.retention_days)); }, (e) => setError(e.message)); }, []);
  if (error && !s) return html`<p class="muted small">${error}</p>`;
  if (!s) return html`<${Spinner} label="Loading…"/>`;
  async function save(change) {
    setError(null);
    try {
      const r = await patch('/v2/recording/settings', change);
      setS(r);
      setDays(String(r.retention_days));
    } catch (e) {
      setError(e.message);
    }
  }
  return html`<div class="recording-settings" data-testid="recording-settings">
    <h3>Session recordings</h3>
    <p class="muted small">What a visitor types is always masked, and password and card fields are never recorded.</p>
    ${CHOICES.map(([k, label, hint]) => html`<label class="check-row" key=${k}>
      <input type="checkbox" checked=${!!s[k]} disabled=${k !== 'enabled' && !s.enabled}
        onChange=${(e) => save({ [k]: e.currentTarget.checked })}/> ${label} <span class="muted small">— ${hint}</span></label>`)}
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); save({ retention_days: Number(days) }); }}
      aria-label="How long recordings are kept">
      <label>Keep recordings for <input type="number" class="rec-days" min="1" max="90" value=${days}
        onInput=${(e) => setDays(e.currentTarget.value)}/> days</label>
      <button type="submit" class="btn btn-sm" disabled=${String(s.retention_days) === days}>Save</button>
    </form>
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
  </div>`;
}
