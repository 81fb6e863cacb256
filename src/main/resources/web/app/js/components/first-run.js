// The first-run guide on the empty inbox (issue #18, point 8): install the chat box, go online, send yourself a
// test message. It goes away for good once the first visitor has written.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get } from '../api.js';
import { useStore, isAdmin } from '../store.js';
import { setMyStatus } from '../session.js';
import { CheckIcon } from '../icons.js';

export function FirstRunGuide({ fallback }) {
  const s = useStore();
  const [info, setInfo] = useState(null);
  useEffect(() => { get('/v2/account/first-run').then(setInfo).catch(() => setInfo({ visitors_have_written: true })); }, []);
  // A conversation arriving live ends the guide at once, without asking the server again.
  if (!info || info.visitors_have_written || s.convs.size > 0) return fallback;
  const online = s.me && s.me.status === 'online';
  const step = (n, done, title, body) => html`<li class=${`fr-step ${done ? 'done' : ''}`}>
    <span class="fr-num" aria-hidden="true">${done ? html`<${CheckIcon} size=${14}/>` : n}</span>
    <div><strong>${title}</strong>${done ? html` <span class="sr-only">(done)</span>` : null}<div class="muted small">${body}</div></div></li>`;
  return html`<section class="thread-pane first-run" aria-labelledby="fr-h">
    <div class="fr-card">
      <h2 id="fr-h">Welcome to Parley</h2>
      <p class="muted">Three steps and your shop's visitors can chat with you.</p>
      <ol class="fr-steps">
        ${step(1, false, 'Put the chat box on your shop', html`Paste the snippet before <code>${'</body>'}</code> on every page.
          ${isAdmin(s.me) ? html` <a href="#/settings/install">Get the snippet</a> · ` : ' '}
          <a href=${info.demo_url} target="_blank" rel="noopener" class="btn btn-sm">Open the demo page</a>`)}
        ${step(2, online, 'Go online', online ? 'You are online: visitors can start a chat.'
          : html`Visitors get a contact form while nobody is online. <button type="button" class="btn btn-primary btn-sm" onClick=${() => setMyStatus('online')}>Go online</button>`)}
        ${step(3, false, 'Send yourself a test message', 'Write something in the chat box on the demo page: it appears here at once, and this guide goes away.')}
      </ol>
    </div>
  </section>`;
}
