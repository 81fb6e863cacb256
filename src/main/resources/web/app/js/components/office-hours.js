// Office hours (owner/admin): when the chat box takes chats, for the account and optionally per group, in the
// account's timezone. Outside them visitors get the contact form whoever is online.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, put, del } from '../api.js';
import { useStore, attempt } from '../store.js';
import { Spinner } from './common.js';
import { PlusIcon, TrashIcon } from '../icons.js';

const DAYS = [['monday', 'Monday'], ['tuesday', 'Tuesday'], ['wednesday', 'Wednesday'], ['thursday', 'Thursday'],
  ['friday', 'Friday'], ['saturday', 'Saturday'], ['sunday', 'Sunday']];
const WORKDAY = [{ from: '09:00', to: '17:00' }];

export function OfficeHoursSection() {
  const s = useStore();
  const [scope, setScope] = useState('account');
  const [data, setData] = useState(null);
  const [own, setOwn] = useState(true);
  const [zone, setZone] = useState('UTC');
  const [error, setError] = useState(null);
  const [holiday, setHoliday] = useState('');
  const path = scope === 'account' ? '/v2/account/office-hours' : `/v2/groups/${scope}/office-hours`;
  useEffect(() => {
    setData(null);
    setError(null);
    get(path).then((r) => {
      if (scope === 'account') { setData(r); setOwn(true); } else { setData(r.hours); setOwn(r.own); }
    }).catch((e) => setError(e.message));
  }, [path]);
  useEffect(() => { get('/v2/account/settings').then((a) => setZone(a.timezone)).catch(() => {}); }, []);
  if (!data) return error ? html`<p class="form-error" role="alert">${error}</p>` : html`<${Spinner}/>`;
  const setDay = (day, list) => setData({ ...data, week: { ...data.week, [day]: list } });
  const enable = (on) => {
    const empty = DAYS.every(([d]) => !(data.week[d] || []).length);
    const week = on && empty ? Object.fromEntries(DAYS.map(([d], i) => [d, i < 5 ? WORKDAY : []])) : data.week;
    setData({ ...data, enabled: on, week });
  };
  async function save(e) {
    e.preventDefault();
    setError(null);
    try {
      const r = await put(path, data);
      setData(r);
      setOwn(true);
      await attempt(Promise.resolve(r), { success: 'Office hours saved' });
    } catch (err) {
      setError(err.message);
    }
  }
  async function followAccount() {
    if ((await attempt(del(path), { success: 'This group now follows the account’s hours' })) !== undefined) {
      const r = await get(path);
      setData(r.hours);
      setOwn(r.own);
    }
  }
  const groups = s.groups || [];
  return html`<section aria-labelledby="hours-h">
    <header class="section-head"><h2 id="hours-h">Office hours</h2>
      <p class="muted">When the chat box takes chats, in your account's timezone (<strong>${zone}</strong>, set in Account).
        Outside these hours visitors get the contact form, even if someone is online.</p></header>
    ${groups.length ? html`<label class="field hours-scope"><span>Hours of</span>
      <select value=${scope} onChange=${(e) => setScope(e.currentTarget.value)}>
        <option value="account">The whole account</option>
        ${groups.map((g) => html`<option value=${String(g.id)}>Group: ${g.name}</option>`)}</select></label>` : null}
    ${scope !== 'account' && !own ? html`<p class="muted small">This group follows the account's hours; saving gives it its own.</p>` : null}
    <form class="panel hours-form" onSubmit=${save} aria-label="Office hours">
      <label class="switch-row"><span class="toggle"><input type="checkbox" role="switch" checked=${data.enabled}
        onChange=${(e) => enable(e.currentTarget.checked)}/><span class="toggle-track" aria-hidden="true"></span></span>
        <span>Use office hours ${data.enabled ? '' : html`<span class="muted small">(off: the chat box follows who is online, any time)</span>`}</span></label>
      <table class="table hours-table"><tbody>
        ${DAYS.map(([day, label]) => {
          const list = data.week[day] || [];
          return html`<tr key=${day} data-day=${day}><th scope="row">${label}</th><td>
            ${list.length ? list.map((iv, i) => html`<span class="interval" key=${i}>
              <input type="time" aria-label=${`${label} from`} value=${iv.from} disabled=${!data.enabled}
                onInput=${(e) => setDay(day, list.map((x, j) => (j === i ? { ...x, from: e.currentTarget.value } : x)))}/>
              <span>–</span>
              <input type="time" aria-label=${`${label} to`} value=${iv.to === '24:00' ? '23:59' : iv.to} disabled=${!data.enabled}
                onInput=${(e) => setDay(day, list.map((x, j) => (j === i ? { ...x, to: e.currentTarget.value === '23:59' ? '24:00' : e.currentTarget.value } : x)))}/>
              <button type="button" class="icon-btn" aria-label=${`Remove ${label} ${iv.from}–${iv.to}`} disabled=${!data.enabled}
                onClick=${() => setDay(day, list.filter((x, j) => j !== i))}><${TrashIcon} size=${14}/></button></span>`)
              : html`<span class="muted">Closed</span>`}
            <button type="button" class="btn btn-ghost btn-xs" disabled=${!data.enabled} aria-label=${`Add hours on ${label}`}
              onClick=${() => setDay(day, [...list, list.length ? { from: '18:00', to: '20:00' } : WORKDAY[0]])}><${PlusIcon} size=${14}/> Add</button>
          </td></tr>`;
        })}
      </tbody></table>
      <h3 class="hours-sub">Holidays</h3>
      <p class="muted small">Closed all day on these dates (public holidays, stock-taking…).</p>
      <div class="holiday-row">
        <input type="date" aria-label="Holiday date" value=${holiday} disabled=${!data.enabled} onInput=${(e) => setHoliday(e.currentTarget.value)}/>
        <button type="button" class="btn btn-sm" disabled=${!data.enabled || !holiday}
          onClick=${() => { setData({ ...data, holidays: [...data.holidays.filter((h) => h.date !== holiday), { date: holiday, hours: [] }] }); setHoliday(''); }}>Add holiday</button>
      </div>
      ${data.holidays.length ? html`<ul class="holiday-list">${data.holidays.map((h) => html`<li key=${h.date}>
        <span>${new Date(h.date + 'T12:00:00').toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'long', day: 'numeric' })}</span>
        <span class="muted small">closed</span>
        <button type="button" class="icon-btn" aria-label=${`Remove holiday ${h.date}`} disabled=${!data.enabled}
          onClick=${() => setData({ ...data, holidays: data.holidays.filter((x) => x.date !== h.date) })}><${TrashIcon} size=${14}/></button></li>`)}</ul>` : null}
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
      <div class="form-actions">
        ${scope !== 'account' && own ? html`<button type="button" class="btn" onClick=${followAccount}>Use the account's hours</button>` : null}
        <button type="submit" class="btn btn-primary">Save</button></div>
    </form>
  </section>`;
}
