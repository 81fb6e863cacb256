// Hash routes, so the server only ever serves /app/index.html:
//   #/conversations/<tab>[/<id>]   tab: all | primary | new | mine | resolved
//   #/settings[/<section>]         section: agents | groups | tags | install | tokens | webhooks | account | look | hours | shortcuts | profile
import { useEffect, useState } from 'preact/hooks';

const TABS = new Set(['all', 'primary', 'new', 'mine', 'resolved']);
const SECTIONS = new Set(['agents', 'groups', 'tags', 'install', 'tokens', 'webhooks', 'account', 'look', 'hours', 'shortcuts', 'profile']);

export function parseRoute(hash) {
  const parts = String(hash || '').replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'settings') {
    return { view: 'settings', section: SECTIONS.has(parts[1]) ? parts[1] : 'agents' };
  }
  if (parts[0] === 'conversations' && TABS.has(parts[1])) {
    const id = /^\d+$/.test(parts[2] || '') ? Number(parts[2]) : null;
    return { view: 'inbox', tab: parts[1], id };
  }
  return { view: 'inbox', tab: null, id: null };
}

export function currentRoute() {
  return parseRoute(location.hash);
}

export function navigate(hash) {
  if (location.hash !== hash) location.hash = hash;
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
