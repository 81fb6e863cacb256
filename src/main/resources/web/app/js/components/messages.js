// One thread's messages: visitor on the left, agents on the right, notes in yellow, timeline events
// centred, day separators. All visitor text goes through Preact text nodes; only http(s) URLs become links.
import { html } from '../html.js';
import { SaveAsShortcut } from './shortcuts.js';
import { FileCard } from './files.js';
import { agentName } from '../store.js';
import { linkSegments, clockTime, fullTime, dayKey, dayLabel } from '../format.js';
import { Avatar } from './common.js';
import { ChannelIcon, CheckCheckIcon, NoteIcon } from '../icons.js';

export function RichText({ text }) {
  return linkSegments(text).map((seg) => (seg.href
    ? html`<a href=${seg.href} target="_blank" rel="noopener noreferrer nofollow ugc">${seg.text}</a>`
    : seg.text));
}

const RATING = { 5: 'Good', 3: 'Normal', 1: 'Bad' };

export function ratingLabel(value) {
  return RATING[value] || (value != null ? String(value) : '');
}

function who(x) {
  if (x == null) return null;
  if (typeof x === 'number') return agentName(x);
  if (typeof x === 'string') return /^\d+$/.test(x) ? agentName(Number(x)) : x;
  if (typeof x === 'object') return x.name || (x.id != null ? agentName(x.id) : null);
  return null;
}

function field(data, ...names) {
  for (const n of names) if (data && data[n] != null) return data[n];
  return null;
}

/** The sentence a timeline event reads as, e.g. "Eva assigned Petr". */
export function eventText(m) {
  const d = m.data || {};
  const actor = who(m.agent) || who(field(d, 'agent', 'agent_id', 'agentId'));
  switch (m.event_type) {
    case 'agent_join':
      return `${actor || 'An agent'} joined`;
    case 'agent_leave':
      return `${actor || 'An agent'} left`;
    case 'agent_assign': {
      const assigned = who(field(d, 'assigned', 'assigned_id', 'assigned_agent', 'assignee'));
      const by = who(field(d, 'assigned_by', 'assignedBy', 'by')) || actor;
      return by && assigned && by !== assigned ? `${by} assigned ${assigned}` : `${assigned || 'An agent'} was assigned`;
    }
    case 'agent_unassign': {
      const unassigned = who(field(d, 'unassigned', 'assigned', 'unassigned_id', 'assigned_id', 'agent_id'));
      const by = who(field(d, 'unassigned_by', 'unassignedBy', 'assigned_by', 'assignedBy', 'by')) || actor;
      return by && unassigned && by !== unassigned ? `${by} unassigned ${unassigned}` : `${unassigned || 'An agent'} was unassigned`;
    }
    case 'chat_close': {
      const type = field(d, 'close_type', 'closeType');
      if (type === 'visitor_close') return 'Visitor ended the chat';
      const closer = who(field(d, 'agent_id', 'agentId', 'agent')) || actor;
      return closer ? `Resolved by ${closer}` : 'Resolved';
    }
    case 'chat_reopen':
    case 'conversation_reopened':
    case 'reopened':
      return 'Conversation reopened';
    case 'chat_rated':
    case 'rating':
    case 'rated': {
      const v = field(d, 'value', 'rating_value');
      const t = field(d, 'text', 'rating_text');
      return `Visitor rated the conversation ${ratingLabel(v)}${t ? `: “${t}”` : ''}`;
    }
    default:
      return m.text || String(m.event_type || 'Event').replace(/_/g, ' ');
  }
}

export function MessageList({ items, visitorName, visitorKey, seenUpTo, onRetry, onDiscard, extra }) {
  const out = [];
  let lastDay = null;
  let lastSeenAgent = null;
  for (const m of items) {
    if (m.kind === 'message' && m.sub_type !== 'contact' && m.id != null && seenUpTo && m.id <= seenUpTo) lastSeenAgent = m.id;
  }
  for (let i = 0; i < items.length; i++) {
    const m = items[i];
    const day = dayKey(m.created_at);
    if (day && day !== lastDay) {
      out.push(html`<div class="day-sep" role="separator" key=${`day-${day}`}><span>${dayLabel(m.created_at)}</span></div>`);
      lastDay = day;
    }
    const prev = items[i - 1];
    const grouped = prev && prev.kind === m.kind && prev.sub_type === m.sub_type && dayKey(prev.created_at) === day
      && (prev.agent && prev.agent.id) === (m.agent && m.agent.id)
      && Date.parse(m.created_at) - Date.parse(prev.created_at) < 5 * 60000;
    const key = m.id != null ? `m-${m.id}` : `c-${m.client_id}`;
    out.push(html`<${Message} key=${key} m=${m} grouped=${grouped} visitorName=${visitorName} visitorKey=${visitorKey}
      seen=${m.id != null && seenUpTo && m.id <= seenUpTo} lastSeen=${m.id === lastSeenAgent}
      onRetry=${onRetry} onDiscard=${onDiscard} extra=${extra}/>`);
  }
  return out;
}

function Message({ m, grouped, visitorName, visitorKey, seen, lastSeen, onRetry, onDiscard, extra }) {
  if (m.kind === 'event') {
    return html`<div class="event-line" data-kind="event" data-event-type=${m.event_type}>
      <span title=${fullTime(m.created_at)}>${eventText(m)}</span>
    </div>`;
  }
  const fromVisitor = m.sub_type === 'contact';
  const note = m.kind === 'note';
  const viaFacebook = m.data && m.data.messenger && m.data.messenger.sent_outside_parley === true;
  const author = fromVisitor ? visitorName : (m.agent && m.agent.name) || (m.sub_type === 'bot' ? 'Bot' : viaFacebook ? 'Page admin' : 'Agent');
  const cls = `msg ${fromVisitor ? 'msg-in' : 'msg-out'} ${note ? 'msg-note' : ''} ${grouped ? 'grouped' : ''}`
    + `${m.pending ? ' pending' : ''}${m.failed ? ' failed' : ''}`;
  return html`<div class=${cls} data-kind=${m.kind} data-sub-type=${m.sub_type} data-message-id=${m.id}>
    ${fromVisitor ? html`<div class="msg-avatar">${grouped ? null : html`<${Avatar} name=${visitorName} colourKey=${visitorKey} size=${30}/>`}</div>` : null}
    <div class="msg-body">
      ${note ? html`<div class="note-label"><${NoteIcon} size=${13}/> Note — only agents see this</div>` : null}
      ${m.channel === 'email' && m.data && m.data.email && m.data.email.subject ? html`<div class="email-subject muted small">${m.data.email.subject}</div>` : null}
      ${m.data && m.data.file ? html`<div class="bubble bubble-file"><${FileCard} file=${m.data.file}/></div>`
        : m.text != null || !extra ? html`<div class="bubble"><${RichText} text=${m.text}/></div>` : null}
      ${extra ? extra(m) : null}
      ${m.data && m.data.email && m.data.email.attachments && m.data.email.attachments.length ? html`<ul class="email-files">
        ${m.data.email.attachments.map((f, i) => html`<li key=${i}>${f.stored
          ? html`<a href=${`/v2/conversations/${m.conversation_id}/messages/${m.id}/attachments/${i}`} target="_blank" rel="noopener">📎 ${f.name}</a>`
          : html`<span class="muted">📎 ${f.name} (over 20 MB, not kept)</span>`}
          <span class="muted small"> ${fileSize(f.size)}</span></li>`)}
      </ul>` : null}
      <div class="msg-meta">
        ${grouped && !m.failed && !lastSeen ? null : html`
          <${ChannelIcon} channel=${m.channel}/>
          <span>${author}</span><span aria-hidden="true">·</span>
          <time datetime=${m.created_at} title=${fullTime(m.created_at)}>${m.pending ? 'Sending…' : clockTime(m.created_at)}</time>
          ${seen && !fromVisitor && !note && lastSeen ? html`<span class="seen"><${CheckCheckIcon} size=${14}/> Seen</span>` : null}`}
        ${m.data && m.data.delivery_status && !extra ? html`<${Delivery} data=${m.data}/>` : null}
        ${!fromVisitor && !m.pending && !m.failed && m.kind === 'message' && m.text && !(m.data && m.data.file) ? html`<${SaveAsShortcut} text=${m.text}/>` : null}
        ${m.failed ? html`<span class="failed-text">Not sent.</span>
          <button type="button" class="link-btn" onClick=${() => onRetry(m)}>Retry</button>
          <button type="button" class="link-btn" onClick=${() => onDiscard(m)}>Discard</button>` : null}
      </div>
    </div>
  </div>`;
}

const DELIVERY = { sending: 'Sending by email…', sent: 'Sent by email' };

/** An email reply's delivery, as the mail server last said: sending, sent, or failed with the reason. */
function Delivery({ data }) {
  if (data.delivery_status === 'failed') {
    return html`<span class="delivery delivery-failed" data-delivery="failed" title=${data.delivery_fail_reason || ''}>
      Email not delivered${data.delivery_fail_reason ? `: ${data.delivery_fail_reason}` : ''}</span>`;
  }
  return html`<span class=${`delivery delivery-${data.delivery_status}`} data-delivery=${data.delivery_status}>${DELIVERY[data.delivery_status] || ''}</span>`;
}

function fileSize(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
