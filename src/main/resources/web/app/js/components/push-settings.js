// Settings → My notifications → "On your devices" (issue #17): Web Push per device; offline and missed messages
// follow the choices above it, new conversations and messages in one's own conversations always come.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { attempt, toast } from '../store.js';
import { ago } from '../format.js';
import { Spinner } from './common.js';
import { pushState, pushUnsupportedReason, enablePush, disablePush, testPush } from '../pwa.js';

export function PushDevices() {
  const [st, setSt] = useState(null);
  const [busy, setBusy] = useState(false);
  const unsupported = pushUnsupportedReason();
  const load = () => attempt(pushState()).then((x) => x && setSt(x));
  useEffect(() => { load(); }, []);
  if (!st) return html`<${Spinner}/>`;

  async function turnOn() {
    setBusy(true);
    try {
      await enablePush(st.publicKey);
      toast('Notifications are on for this device', 'success');
    } catch (e) {
      toast(e && e.message ? e.message : "Couldn't turn notifications on here.");
    } finally {
      setBusy(false);
      load();
    }
  }
  async function turnOff(id) {
    setBusy(true);
    await attempt(disablePush(id), { success: 'Notifications are off for that device' });
    setBusy(false);
    load();
  }

  return html`<div class="panel push-devices" aria-labelledby="push-h">
    <h3 id="push-h">On your phone and computers</h3>
    <p class="muted small">New conversations, and new messages in conversations assigned to you, pop up on the devices
      below while no Parley tab of yours is open. Offline messages and missed conversations follow your choices above.</p>
    ${unsupported
      ? html`<p class="form-notice" role="status">${unsupported}</p>`
      : st.thisDevice
        ? html`<p class="push-here"><strong>This device gets notifications.</strong></p>`
        : html`<button type="button" class="btn btn-primary push-enable" disabled=${busy} onClick=${turnOn}>
            Turn on notifications on this device</button>`}
    ${st.devices.length === 0
      ? html`<p class="muted small push-none">No device gets notifications yet.</p>`
      : html`<ul class="push-list">${st.devices.map((d) => html`<li key=${d.id} class="push-device">
          <span class="push-name"><strong>${d.label || 'A device'}</strong>${d.id === st.thisDevice ? ' (this device)' : ''}<br/>
            <span class="muted small">${d.last_sent_at ? `Last notified ${ago(d.last_sent_at)}` : 'Not notified yet'}</span></span>
          <button type="button" class="btn" disabled=${busy}
            onClick=${() => attempt(testPush(d.id), { success: 'Test notification sent' })}>Send a test</button>
          <button type="button" class="btn btn-ghost" disabled=${busy} onClick=${() => turnOff(d.id)}>Turn off</button>
        </li>`)}</ul>`}
  </div>`;
}
