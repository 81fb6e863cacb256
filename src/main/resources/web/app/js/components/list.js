// The conversation list: Open (tabs with live counts) and Resolved, as a windowed list — only the rows in
// view (plus a margin) are in the DOM, and the next cursor page loads as the end comes into view.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { useStore } from '../store.js';
import {
  listFor, loadList, tabsFor, TAB_LABELS, canResolve, resolve, setImportant,
} from '../conversations.js';
import { visitorName, relativeTime, fullTime, excerpt } from '../format.js';
import { Avatar, EmptyState, Spinner, TagChip } from './common.js';
import { OfflineMarker } from './markers.js';
import { ChannelIcon, StarIcon, CheckIcon, InboxIcon } from '../icons.js';
import { navigate } from '../router.js';

const ROW = 80;
const OVERSCAN = 6;

const EMPTY = {
  all: ["No open conversations — you're all caught up", 'New chats from your website appear here.'],
  primary: ["Nothing waiting for you — you're all caught up", 'New conversations and the ones assigned to you appear here.'],
  new: ['No new conversations', 'Conversations nobody has joined yet appear here.'],
  mine: ['Nothing assigned to you', 'Join a conversation to see it here.'],
  resolved: ['No resolved conversations yet', 'Conversations you resolve are kept here.'],
};

export function ConversationList({ tab, selectedId }) {
  const s = useStore();
  const list = listFor(tab);
  const scroller = useRef(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(800);

  useEffect(() => {
    if (!list.loaded && !list.loading && !list.error) loadList(tab);
  }, [tab, list.loaded, list.loading]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return undefined;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [tab]);

  const ids = list.ids;
  const count = ids.length;
  const start = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const end = Math.min(count, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);

  useEffect(() => {
    if (list.loaded && !list.done && !list.loading && end >= count - OVERSCAN) loadList(tab, { more: true });
  }, [end, count, list.loaded, list.done, list.loading, tab]);

  function onKeyDown(e) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const i = ids.indexOf(selectedId);
    const next = e.key === 'ArrowDown' ? Math.min(count - 1, i + 1) : Math.max(0, i - 1);
    if (ids[next] == null) return;
    navigate(`#/conversations/${tab}/${ids[next]}`);
    const el = scroller.current;
    if (el) {
      const top = next * ROW;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW - el.clientHeight;
    }
    requestAnimationFrame(() => {
      const link = el && el.querySelector(`[data-conversation-id="${ids[next]}"] .row-link`);
      if (link) link.focus();
    });
  }

  const rows = [];
  for (let i = start; i < end; i++) {
    const c = s.convs.get(ids[i]);
    if (c) rows.push(html`<${Row} key=${c.id} c=${c} tab=${tab} top=${i * ROW} selected=${c.id === selectedId} now=${s.now}
      typing=${s.typing.get(c.id)} index=${i} total=${count}/>`);
  }
  const [emptyTitle, emptyText] = EMPTY[tab] || EMPTY.all;

  return html`<div class="list-scroll" ref=${scroller} onScroll=${(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown=${onKeyDown}>
    ${list.loaded && count === 0 && !list.loading
      ? html`<${EmptyState} icon=${html`<${InboxIcon} size=${28}/>`} title=${emptyTitle}>${emptyText}<//>`
      : html`<ul class="conv-list" role="list" aria-label=${`${TAB_LABELS[tab]} conversations`}
          style=${`height:${count * ROW}px`}>${rows}</ul>`}
    ${list.loading && (!list.loaded || list.loadingMore)
      ? html`<${Spinner} label=${list.loadingMore ? 'Loading more…' : 'Loading conversations…'}/>` : null}
    ${list.error && !list.loading ? html`<div class="list-error" role="alert">${list.error}
      <button type="button" class="btn btn-sm" onClick=${() => loadList(tab, { more: list.loaded })}>Try again</button></div>` : null}
  </div>`;
}

export function Row({ c, tab, top, selected, now, typing, index, total, suffix = '', highlight }) {
  const name = visitorName(c);
  const visitorTyping = typing && typing.visitor;
  const unread = c.unread || 0;
  const isUnread = unread > 0 || c.marked_unread;
  const last = c.last_message || {};
  const prefix = last.sub_type === 'agent' ? 'You: ' : '';
  const tags = Array.isArray(c.tags) ? c.tags : [];
  return html`<li class=${`conv-row ${selected ? 'selected' : ''} ${isUnread ? 'unread' : ''}`} style=${`top:${top}px`}
      data-conversation-id=${c.id} aria-posinset=${index + 1} aria-setsize=${total}>
    <a class="row-link" href=${`#/conversations/${tab}/${c.id}${suffix}`} aria-current=${selected ? 'true' : undefined}
      aria-label=${`${name}${isUnread ? `, ${unread || ''} unread` : ''}${c.important ? ', important' : ''}`}>
      <${Avatar} name=${name} colourKey=${c.visitor_id ?? c.id} size=${38}/>
      <span class="row-main">
        <span class="row-line1">
          <span class="row-name">${name}</span>
          <${ChannelIcon} channel=${c.has_email ? 'email' : c.channel}/>
          ${c.is_offline ? html`<${OfflineMarker} compact/>` : null}
          ${c.important ? html`<span class="row-important" title="Important"><${StarIcon} size=${13} filled=${true}/></span>` : null}
          <span class="row-time" title=${fullTime(last.created_at || c.updated_at)}>${relativeTime(last.created_at || c.updated_at, now)}</span>
        </span>
        <span class="row-line2">
          ${highlight ? html`<span class="row-excerpt row-hit">${highlight.map((p) => (p.hit ? html`<mark>${p.text}</mark>` : p.text))}</span>`
            : visitorTyping
            ? html`<span class="row-typing">typing…</span>`
            : html`<span class="row-excerpt">${prefix}${excerpt(last.text || (c.is_offline ? 'Offline message' : ''), 90)}</span>`}
          ${unread > 0 ? html`<span class="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>`
            : c.marked_unread ? html`<span class="badge badge-dot" aria-hidden="true"></span>` : null}
        </span>
        ${tags.length ? html`<span class="row-tags">${tags.slice(0, 3).map((t) => html`<${TagChip} key=${t.id} tag=${t}/>`)}
          ${tags.length > 3 ? html`<span class="muted small">+${tags.length - 3}</span>` : null}</span>` : null}
      </span>
    </a>
    <div class="row-actions">
      <button type="button" class=${`icon-btn row-star ${c.important ? 'on' : ''}`} aria-pressed=${c.important ? 'true' : 'false'}
        aria-label=${c.important ? `Unmark ${name} as important` : `Mark ${name} as important`}
        title=${c.important ? 'Unmark as important' : 'Mark as important'}
        onClick=${() => setImportant(c.id, !c.important)}><${StarIcon} size=${16} filled=${c.important}/></button>
      ${canResolve(c) ? html`<button type="button" class="btn btn-resolve btn-xs row-resolve"
          aria-label=${`Resolve conversation with ${name}`} onClick=${() => resolve(c.id)}>
          <${CheckIcon} size=${14}/> Resolve</button>` : null}
    </div>
  </li>`;
}

export function ListHeader({ tab, selectedId }) {
  const s = useStore();
  const openTabs = tabsFor(s.mode);
  const resolved = tab === 'resolved';
  const count = (t) => (typeof s.counts[t] === 'number' ? s.counts[t] : null);
  return html`<div class="list-head">
    <div class="category" role="tablist" aria-label="Category">
      <a role="tab" aria-selected=${resolved ? 'false' : 'true'} class=${resolved ? '' : 'active'}
        href=${`#/conversations/${resolved ? (s.mode === 'multi' ? 'primary' : 'all') : tab}`}>Open
        ${count('all') != null ? html`<span class="count">${count('all')}</span>` : null}</a>
      <a role="tab" aria-selected=${resolved ? 'true' : 'false'} class=${resolved ? 'active' : ''}
        href="#/conversations/resolved">Resolved</a>
    </div>
    ${resolved ? null : html`<div class="tabs" role="tablist" aria-label="Open conversations">
      ${openTabs.map((t) => html`<a key=${t} role="tab" href=${`#/conversations/${t}${selectedId != null ? `/${selectedId}` : ''}`} data-tab=${t}
          aria-selected=${t === tab ? 'true' : 'false'} class=${`tab ${t === tab ? 'active' : ''}`}>
        <span>${TAB_LABELS[t]}</span>
        <span class="count" data-count=${t}>${count(t) ?? '–'}</span>
      </a>`)}
    </div>`}
  </div>`;
}
