// The three-pane inbox: conversation list, thread, visitor card.
import { useEffect } from 'preact/hooks';
import { html } from '../html.js';
import { useStore } from '../store.js';
import { tabsFor } from '../conversations.js';
import { currentRoute } from '../router.js';
import { ConversationList, ListHeader } from './list.js';
import { SearchBar, SearchResults } from './search.js';
import { Thread } from './thread.js';
import { VisitorCard } from './visitor-card.js';
import { EmptyState } from './common.js';
import { ChatIcon } from '../icons.js';
import { FirstRunGuide } from './first-run.js';
import { PhoneCardBar } from './phone.js';

export function defaultTab(mode) {
  return mode === 'multi' ? 'primary' : 'all';
}

export function Inbox({ route }) {
  const s = useStore();
  const allowed = route.tab === 'resolved' || tabsFor(s.mode).includes(route.tab);
  const tab = allowed ? route.tab : defaultTab(s.mode);

  useEffect(() => {
    // Until the tabs mode is known any open tab may be valid; afterwards fix the URL to a real tab. The URL is
    // read again here: it may have changed since this render (a link clicked right after signing in).
    if (!s.mode) return;
    const now = currentRoute();
    if (now.view !== 'inbox' || now.tab === 'resolved' || tabsFor(s.mode).includes(now.tab)) return;
    location.replace(`#/conversations/${defaultTab(s.mode)}${now.id ? `/${now.id}` : ''}`);
  }, [s.mode, route.tab, route.id]);

  return html`<div class=${`inbox ${route.id ? 'has-thread' : ''}${route.card ? ' show-card' : ''}`}>
    <section class="list-pane" aria-label="Conversations">
      <${ListHeader} tab=${tab} selectedId=${route.id}/>
      <${SearchBar} tab=${tab} search=${route.search || ''}/>
      ${route.search
        ? html`<${SearchResults} tab=${tab} search=${route.search} selectedId=${route.id}/>`
        : html`<${ConversationList} tab=${tab} selectedId=${route.id}/>`}
    </section>
    ${route.id != null
      ? html`<${Thread} key=${route.id} id=${route.id} tab=${tab}/><${PhoneCardBar} tab=${tab} id=${route.id}/><${VisitorCard} conversationId=${route.id}/>`
      : html`<${FirstRunGuide} fallback=${html`<section class="thread-pane thread-empty">
          <${EmptyState} icon=${html`<${ChatIcon} size=${32}/>`} title="Pick a conversation">
            Choose a conversation on the left to read and reply. New chats show up live.<//>
        </section>`}/>`}
  </div>`;
}
