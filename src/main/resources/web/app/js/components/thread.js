// The middle pane: conversation header with actions, the message thread, the visitor's live draft, composer.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { OfflineMarker } from './markers.js';
import { useStore, agentName, attempt, isAdmin } from '../store.js';
import { post } from '../api.js';
import {
  threadOf, loadThread, loadConversation, markRead, join, leave, assign, unassign, resolve, markUnread,
  setImportant, setTags, canResolve, isOpen, assignedIds, isAssignedToMe, sendMessage, discardFailed,
} from '../conversations.js';
import { reloadTags } from '../session.js';
import { visitorName } from '../format.js';
import { navigate } from '../router.js';
import { Avatar, Popover, Spinner, EmptyState, TagChip } from './common.js';
import { MessageList, ratingLabel } from './messages.js';
import { Composer } from './composer.js';
import {
  isMessenger, useMessengerFacts, messengerDisabledReason, messengerTyping, MessengerMessageExtra, MessengerReplyBar,
} from './messenger.js';
import {
  ChannelIcon, StarIcon, CheckIcon, UsersIcon, TagIcon, UnreadDotIcon, ChatIcon, PlusIcon, ArrowLeftIcon, EnvelopeIcon,
} from '../icons.js';
import { PhoneCardLink } from './phone.js';

export function Thread({ id, tab }) {
  const s = useStore();
  const c = s.convs.get(id);
  const t = threadOf(id);

  useEffect(() => {
    s.current = id;
    if (!s.convs.get(id)) loadConversation(id);
    if (!threadOf(id) || (!threadOf(id).loaded && !threadOf(id).loading)) loadThread(id);
    markRead(id);
    const onFocus = () => {
      const cc = s.convs.get(id);
      if (cc && ((cc.unread || 0) > 0)) markRead(id);
    };
    window.addEventListener('focus', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      if (s.current === id) s.current = null;
    };
  }, [id]);

  // A list page or summary that was fetched before our read mark landed may still count this one unread.
  const unread = c ? c.unread || 0 : 0;
  useEffect(() => {
    if (unread > 0 && document.visibilityState === 'visible') markRead(id);
  }, [id, unread]);
  const messenger = useMessengerFacts(c);

  if (c && c.missing) {
    return html`<section class="thread-pane"><${EmptyState} title="This conversation isn't available">
      It may have been removed, or it belongs to a group you're not in.<//></section>`;
  }
  if (!c) return html`<section class="thread-pane"><${Spinner} label="Loading conversation…"/></section>`;

  const name = visitorName(c);
  const typing = s.typing.get(id);
  const visitorTyping = typing && typing.visitor;
  const agentsTyping = typing ? [...typing.agents.values()].map((a) => a.name) : [];
  const disabledReason = s.me && s.me.active === false ? 'Your account is inactive: you cannot chat.'
    : messengerDisabledReason(messenger);
  const messengerExtra = isMessenger(c) ? (m) => html`<${MessengerMessageExtra} f=${messenger} m=${m}/>` : null;

  return html`<section class="thread-pane" aria-label=${`Conversation with ${name}`}>
    <${ThreadHeader} c=${c} name=${name} tab=${tab} picture=${messenger && messenger.contact ? messenger.contact.picture_url : null}/>
    <${ThreadBody} c=${c} t=${t} name=${name} extra=${messengerExtra}/>
    ${visitorTyping ? html`<div class="typing-preview" aria-live="polite">
      <span class="typing-who"><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span> ${name} is typing</span>
      ${visitorTyping.draft ? html`<div class="draft-text">${visitorTyping.draft}</div>` : null}
    </div>` : null}
    ${agentsTyping.length ? html`<div class="typing-preview agent-typing">${agentsTyping.join(', ')} ${agentsTyping.length > 1 ? 'are' : 'is'} typing…</div>` : null}
    ${isMessenger(c) ? html`<${MessengerReplyBar} f=${messenger}/>` : null}
    <${Composer} conversationId=${id} disabledReason=${disabledReason} onTyping=${isMessenger(c) ? () => messengerTyping(id) : null}/>
  </section>`;
}

function ThreadBody({ c, t, name, extra }) {
  const scroller = useRef(null);
  const stick = useRef(true);
  const restore = useRef(null);
  const items = t ? t.items : [];
  const lastKey = items.length ? (items[items.length - 1].id ?? items[items.length - 1].client_id) : null;

  useLayoutEffect(() => {
    stick.current = true;
  }, [c.id]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (restore.current != null) {
      el.scrollTop = el.scrollHeight - restore.current;
      restore.current = null;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [items.length, lastKey, c.id, t && t.loaded]);

  function onScroll(e) {
    const el = e.currentTarget;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 120;
    if (el.scrollTop < 60 && t && t.before != null && !t.loading) older();
  }

  function older() {
    const el = scroller.current;
    if (el) restore.current = el.scrollHeight - el.scrollTop;
    loadThread(c.id, { older: true });
  }

  return html`<div class="thread-scroll" ref=${scroller} onScroll=${onScroll} tabindex="0" aria-label="Messages">
    <div class="thread-inner">
      ${t && t.before != null ? html`<div class="older"><button type="button" class="btn btn-sm" disabled=${t.loading}
        onClick=${older}>${t.loading ? 'Loading…' : 'Load older messages'}</button></div>` : null}
      ${!t || (!t.loaded && t.loading) ? html`<${Spinner} label="Loading messages…"/>` : null}
      ${t && t.loaded && items.length === 0 ? html`<${EmptyState} title="No messages yet"/>` : null}
      <${MessageList} items=${items} visitorName=${name} visitorKey=${c.visitor_id ?? c.id}
        seenUpTo=${c.visitor_read_id} extra=${extra}
        onRetry=${(m) => sendMessage(c.id, m.kind, m.text, m)} onDiscard=${(m) => discardFailed(c.id, m.client_id)}/>
      ${!isOpen(c) ? html`<div class="closed-info">
        <${CheckIcon} size=${14}/> Resolved${c.rating_value ? html` · Visitor rated it <strong>${ratingLabel(c.rating_value)}</strong>` : null}
        ${c.rating_text ? html`<span class="rating-text">“${c.rating_text}”</span>` : null}
      </div>` : null}
    </div>
  </div>`;
}

function ThreadHeader({ c, name, tab, picture }) {
  const s = useStore();
  const assigned = assignedIds(c);
  const mine = isAssignedToMe(c);
  const open = isOpen(c);
  const status = !open ? 'Resolved'
    : assigned.length ? `Assigned to ${assigned.map((a) => (s.me && a === s.me.id ? 'you' : agentName(a))).join(', ')}`
      : 'New — nobody has joined yet';
  return html`<header class="thread-head">
    <div class="thread-title">
      <a class="icon-btn back-btn" href=${`#/conversations/${tab}`} aria-label="Back to the conversation list"><${ArrowLeftIcon}/></a>
      <${Avatar} name=${name} colourKey=${c.visitor_id ?? c.id} size=${36} url=${picture || null}/>
      <div class="thread-title-text">
        <h2><span class="visitor-name">${name}</span> <${ChannelIcon} channel=${c.channel}/>${c.is_offline ? html` <${OfflineMarker}/>` : null}</h2>
        <p class="muted small" data-testid="assignment">${status}</p>
      </div>
    </div>
    <div class="thread-actions">
      <${PhoneCardLink} tab=${tab} id=${c.id}/>
      <button type="button" class=${`icon-btn star-btn ${c.important ? 'on' : ''}`} aria-pressed=${c.important ? 'true' : 'false'}
        aria-label=${c.important ? 'Unmark as important' : 'Mark as important'} title="Important"
        onClick=${() => setImportant(c.id, !c.important)}><${StarIcon} filled=${c.important}/></button>
      <button type="button" class="icon-btn" aria-label="Mark as unread" title="Mark as unread"
        onClick=${async () => { if (await markUnread(c.id)) navigate(`#/conversations/${tab}`); }}><${UnreadDotIcon}/></button>
      <button type="button" class="icon-btn" aria-label="Email the transcript" title="Email the transcript to the visitor"
        onClick=${() => attempt(post(`/v2/conversations/${c.id}/transcript`, {}), { success: 'Transcript on its way' })}><${EnvelopeIcon}/></button>
      <${TagPicker} c=${c}/>
      <${AssignPicker} c=${c}/>
      ${open && !mine ? html`<button type="button" class="btn btn-primary" onClick=${() => join(c.id)}>
        <${ChatIcon} size=${16}/> Join</button>` : null}
      ${canResolve(c) ? html`<button type="button" class="btn btn-resolve" onClick=${() => resolve(c.id)}>
        <${CheckIcon} size=${16}/> Resolve</button>` : null}
    </div>
    ${Array.isArray(c.tags) && c.tags.length ? html`<div class="thread-tags" aria-label="Tags">
      ${c.tags.map((tag) => html`<${TagChip} key=${tag.id} tag=${tag}
        onRemove=${() => setTags(c.id, c.tags.filter((x) => x.id !== tag.id).map((x) => x.id))}/>`)}
    </div>` : null}
  </header>`;
}

function AssignPicker({ c }) {
  const s = useStore();
  const assigned = new Set(assignedIds(c));
  const agents = s.agents.filter((a) => a.active !== false || assigned.has(a.id));
  async function toggle(agent) {
    const mine = s.me && agent.id === s.me.id;
    if (assigned.has(agent.id)) await (mine ? leave(c.id) : unassign(c.id, agent.id));
    else await (mine ? join(c.id) : assign(c.id, agent.id));
  }
  return html`<${Popover} title="Assign agents" ariaLabel=${assigned.size ? `Assign agents (${assigned.size} assigned)` : 'Assign agents'}
      panelLabel="Assign agents" buttonClass="btn btn-ghost"
      label=${html`<${UsersIcon} size=${16}/> Assign${assigned.size ? html` <span class="count">${assigned.size}</span>` : null}`}>
    <div class="picker">
      <p class="picker-title">Assigned agents</p>
      <ul class="picker-list" role="group" aria-label="Agents">
        ${agents.map((a) => html`<li key=${a.id}><label class="check-row">
          <input type="checkbox" checked=${assigned.has(a.id)} onChange=${() => toggle(a)}/>
          <${Avatar} name=${a.name || a.email} colourKey=${a.id} url=${a.avatar_url} size=${24}
            presence=${s.presence.get(a.id) || a.status || 'offline'}/>
          <span>${a.name || a.email}${s.me && a.id === s.me.id ? ' (you)' : ''}</span>
        </label></li>`)}
      </ul>
    </div>
  <//>`;
}

const TAG_COLOURS = ['#3b5bdb', '#0c8599', '#2b8a3e', '#e67700', '#c2255c', '#7048e8', '#868e96'];

function TagPicker({ c }) {
  const s = useStore();
  const [query, setQuery] = useState('');
  const selected = new Set((c.tags || []).map((t) => t.id));
  const q = query.trim().toLowerCase();
  const shown = s.tags.filter((t) => !q || String(t.name).toLowerCase().includes(q));
  const exact = s.tags.some((t) => String(t.name).toLowerCase() === q);

  function toggle(tag) {
    const ids = selected.has(tag.id) ? [...selected].filter((x) => x !== tag.id) : [...selected, tag.id];
    setTags(c.id, ids);
  }

  async function create(e) {
    e.preventDefault();
    const name = query.trim();
    if (!name || exact) return;
    const tag = await attempt(post('/v2/tags', { name, color: TAG_COLOURS[s.tags.length % TAG_COLOURS.length] }));
    if (!tag) return;
    setQuery('');
    await reloadTags();
    await setTags(c.id, [...selected, tag.id]);
  }

  return html`<${Popover} title="Tags" panelLabel="Tags" buttonClass="btn btn-ghost"
      label=${html`<${TagIcon} size=${16}/> Tags`}>
    <div class="picker">
      <form onSubmit=${create} class="picker-search">
        <input type="text" value=${query} placeholder="Find or create a tag" aria-label="Find or create a tag"
          maxlength="255" onInput=${(e) => setQuery(e.currentTarget.value)}/>
      </form>
      <ul class="picker-list" role="group" aria-label="Tags">
        ${shown.map((t) => html`<li key=${t.id}><label class="check-row">
          <input type="checkbox" checked=${selected.has(t.id)} onChange=${() => toggle(t)}/>
          <${TagChip} tag=${t}/>
        </label></li>`)}
        ${shown.length === 0 && !q ? html`<li class="muted small pad">No tags yet — type a name to create one.</li>` : null}
      </ul>
      ${q && !exact ? html`<button type="button" class="btn btn-sm btn-block" onClick=${create}>
        <${PlusIcon} size=${14}/> Create tag “${query.trim()}”</button>` : null}
    </div>
  <//>`;
}

export { isAdmin };
