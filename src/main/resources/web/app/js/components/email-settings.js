// Settings → Email (owners and admins): the shop's address and, if wanted, its own SMTP server instead of the
// instance's; the password is write-only (the server says only whether one is set); "Send test email".
// Settings → My notifications (every agent): the offline-message and missed-conversation mails, on or off.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, put, post } from '../api.js';
import { attempt } from '../store.js';
import { Spinner } from './common.js';
import { PushDevices } from './push-settings.js';

export function EmailSettings() {
  const [view, setView] = useState(null);
  const [form, setForm] = useState(null);
  const [testTo, setTestTo] = useState('');
  const [result, setResult] = useState(null);

  async function load() {
    const v = await attempt(get('/v2/account/email'));
    if (!v) return;
    setView(v);
    setForm({ smtp_host: v.smtp_host || '', smtp_port: v.smtp_port || '', smtp_user: v.smtp_user || '',
      smtp_password: '', smtp_tls: !!v.smtp_tls, from_address: v.from_address || '' });
  }
  useEffect(() => { load(); }, []);
  if (!view || !form) return html`<${Spinner}/>`;

  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });

  async function save(e) {
    e.preventDefault();
    const body = { smtp_host: form.smtp_host.trim(), smtp_user: form.smtp_user.trim() || null, smtp_tls: form.smtp_tls,
      from_address: form.from_address.trim() || null, smtp_port: form.smtp_port ? Number(form.smtp_port) : null };
    if (form.smtp_password) body.smtp_password = form.smtp_password;
    const v = await attempt(put('/v2/account/email', body), { success: 'Email settings saved' });
    if (v) { setView(v); setForm({ ...form, smtp_password: '' }); }
  }

  async function test() {
    setResult(null);
    try {
      const r = await post('/v2/account/email/test', testTo.trim() ? { to: testTo.trim() } : {});
      setResult({ ok: true, text: `Test email sent to ${r.to}.` });
    } catch (e) {
      setResult({ ok: false, text: e.message });
    }
  }

  const source = { account: 'your own SMTP server below', instance: `the server set for this Parley (${view.instance_from || 'no sender set'})`,
    none: 'nothing yet: no SMTP server is set, so email replies cannot go out' }[view.source];
  return html`<section aria-labelledby="email-h" class="email-settings">
    <header class="section-head"><h2 id="email-h">Email</h2>
      <p class="muted">Replies to visitors who left go by email; their answers come back into the same conversation.
        Mail now goes through ${source}.</p></header>
    <form class="panel" onSubmit=${save} aria-label="Email settings">
      <div class="form-row">
        <label class="field grow"><span>Shop's address (replies come from it)</span>
          <input type="email" maxlength="255" value=${form.from_address} placeholder="support@your-shop.com" onInput=${set('from_address')}/></label>
      </div>
      <p class="muted small">Visitors answer to <code>reply+…@${view.inbound_domain}</code>, a per-conversation address Parley reads.</p>
      <h3 class="email-sub">Own SMTP server <span class="muted small">(optional)</span></h3>
      <div class="form-row">
        <label class="field grow"><span>Server</span><input maxlength="255" value=${form.smtp_host} placeholder="smtp.your-shop.com" onInput=${set('smtp_host')}/></label>
        <label class="field"><span>Port</span><input type="number" min="1" max="65535" value=${form.smtp_port} placeholder="587" onInput=${set('smtp_port')}/></label>
      </div>
      <div class="form-row">
        <label class="field grow"><span>User name</span><input maxlength="255" autocomplete="off" value=${form.smtp_user} onInput=${set('smtp_user')}/></label>
        <label class="field grow"><span>Password</span><input type="password" autocomplete="new-password" value=${form.smtp_password}
          placeholder=${view.password_set ? 'Saved — leave empty to keep it' : ''} onInput=${set('smtp_password')}/></label>
      </div>
      <label class="check-row"><input type="checkbox" checked=${form.smtp_tls} onChange=${set('smtp_tls')}/> <span>Use TLS</span></label>
      <div class="form-row"><button type="submit" class="btn btn-primary">Save</button></div>
    </form>
    <div class="panel" aria-label="Send test email">
      <div class="form-row">
        <label class="field grow"><span>Send a test email to</span><input type="email" value=${testTo}
          placeholder="your own address" onInput=${(e) => setTestTo(e.currentTarget.value)}/></label>
        <button type="button" class="btn" onClick=${test}>Send test email</button>
      </div>
      ${result ? html`<p class=${result.ok ? 'form-ok' : 'form-error'} role=${result.ok ? 'status' : 'alert'}>${result.text}</p>` : null}
    </div>
  </section>`;
}

export function MyNotifications() {
  const [choices, setChoices] = useState(null);
  useEffect(() => { attempt(get('/v2/me/notifications')).then((c) => c && setChoices(c)); }, []);
  if (!choices) return html`<${Spinner}/>`;
  async function change(key, value) {
    const c = await attempt(put('/v2/me/notifications', { [key]: value }), { success: 'Notifications saved' });
    if (c) setChoices(c);
  }
  return html`<section aria-labelledby="notify-h" class="my-notifications">
    <header class="section-head"><h2 id="notify-h">My notifications</h2>
      <p class="muted">Emails to you, about two minutes after a visitor wrote, unless you or a colleague has seen it by then.</p></header>
    <div class="panel">
      <label class="check-row"><input type="checkbox" name="offline_message" checked=${choices.offline_message}
        onChange=${(e) => change('offline_message', e.currentTarget.checked)}/>
        <span><strong>Offline messages</strong><br/><span class="muted small">A visitor wrote while nobody was online.</span></span></label>
      <label class="check-row"><input type="checkbox" name="missed_conversation" checked=${choices.missed_conversation}
        onChange=${(e) => change('missed_conversation', e.currentTarget.checked)}/>
        <span><strong>Missed conversations</strong><br/><span class="muted small">A visitor wrote while you were online and nobody answered.</span></span></label>
    </div>
    <${PushDevices}/>
  </section>`;
}
