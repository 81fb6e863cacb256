// Hash routes, so the server only ever serves /app/index.html:
//   #/conversations/<tab>[/<id>][?<search>]   tab: all | primary | new | mine | resolved
//   #/visitors[/<filter>[/<id>]]     filter: all | active | in_chat | customers | blocked
//   #/settings[/<section>]         section: agents | groups | tags | install | tokens | webhooks | account | look | hours
//                                  | shortcuts | email | visitors | messenger | profile | notifications
import { useEffect, useState } from 'preact/hooks';

const TABS = new Set(['all', 'primary', 'new', 'mine', 'resolved']);
const SECTIONS = new Set(['agents', 'groups', 'tags', 'install', 'tokens', 'webhooks', 'email', 'notifications', 'visitors', 'messenger',
  'account', 'look', 'hours', 'shortcuts', 'profile']);

export function parseRoute(hash) {
  // A search keeps its filter after "?" (#/conversations/resolved?q=refund&rating=bad): shareable, kept on reload.
  const raw = String(hash || '').replace(/^#\/?/, '');
  const search = raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '';
  const parts = raw.split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'settings') {
    return { view: 'settings', section: SECTIONS.has(parts[1]) ? parts[1] : 'agents' };
  }
  if (parts[0] === 'visitors') {
    const filter = ['all', 'active', 'in_chat', 'customers', 'blocked'].includes(parts[1]) ? parts[1] : 'all';
    return { view: 'visitors', filter, id: /^\d+$/.test(parts[2] || '') ? Number(parts[2]) : null };
  }
  if (parts[0] === 'conversations' && TABS.has(parts[1])) {
    const id = /^\d+$/.test(parts[2] || '') ? Number(parts[2]) : null;
    // #/conversations/<tab>/<id>/card: the visitor card as its own screen on a phone (issue #17).
    return { view: 'inbox', tab: parts[1], id, search, card: id != null && parts[3] === 'card' };
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
