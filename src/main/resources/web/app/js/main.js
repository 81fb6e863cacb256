// Entry point: renders the login screen or the dashboard, and keeps the page title's unread count.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { html } from './html.js';
import { useStore } from './store.js';
import { useRoute } from './router.js';
import { boot, unreadConversations } from './session.js';
import { setTitleCount } from './notify.js';
import { Login } from './components/login.js';
import { TopBar } from './components/topbar.js';
import { Inbox } from './components/inbox.js';
import { Settings } from './components/settings.js';
import { Visitors } from './components/visitors.js';
import { Toasts, ConnectionBanner } from './components/common.js';
import { registerServiceWorker } from './pwa.js';
import { MessengerReconnectBanner } from './components/messenger.js';

function App() {
  const s = useStore();
  const route = useRoute();
  const unread = s.auth === 'in' ? unreadConversations() : 0;
  useEffect(() => setTitleCount(unread), [unread]);

  if (s.auth === 'loading') return html`<div class="splash" role="status">${s.offline || navigator.onLine === false ? "You're offline. Reconnecting…" : 'Loading Parley…'}</div>`;
  if (s.auth !== 'in') return html`<${Login}/><${Toasts}/>`;
  return html`<div class="app">
    <${TopBar} route=${route}/>
    <${ConnectionBanner}/>
    <${MessengerReconnectBanner} route=${route}/>
    ${route.view === 'settings' ? html`<${Settings} section=${route.section}/>`
      : route.view === 'visitors' ? html`<${Visitors} route=${route}/>` : html`<${Inbox} route=${route}/>`}
    <${Toasts}/>
  </div>`;
}

render(html`<${App}/>`, document.getElementById('root'));
boot();
registerServiceWorker();
