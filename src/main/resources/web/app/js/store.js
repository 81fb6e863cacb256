// The dashboard's single state tree. Modules mutate it through small functions and call changed();
// components subscribe with useStore() and re-render on the next microtask (changes are batched).
import { useEffect, useState } from 'preact/hooks';

export const state = {
  auth: 'loading', // loading | anon | in
  authNotice: null,
  me: null,
  account: null,
  agents: [],
  groups: [],
  tags: [],
  presence: new Map(), // agent id → online | offline
  mode: null, // single | multi (GET /v2/conversations/tabs)
  counts: {},
  convs: new Map(), // id → conversation summary
  lists: {}, // tab → { ids, after, done, loading, loaded, error }
  threads: new Map(), // conversation id → { items, before, loading, loaded, error }
  typing: new Map(), // conversation id → { visitor: {typing, draft, at} | null, agents: Map(id → {name, at}) }
  visitors: new Map(), // visitor id → visitor card
  connection: 'idle', // idle | connecting | online | reconnecting
  current: null, // id of the conversation on screen
  toasts: [],
  now: Date.now(),
};

const listeners = new Set();
let scheduled = false;

export function changed() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    for (const fn of [...listeners]) fn();
  });
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Re-renders the calling component whenever the state changes; returns the (mutable) state. */
export function useStore() {
  const [, setTick] = useState(0);
  useEffect(() => subscribe(() => setTick((t) => t + 1)), []);
  return state;
}

let toastSeq = 0;

export function toast(text, kind = 'error', ms = 6000) {
  const id = ++toastSeq;
  state.toasts = [...state.toasts, { id, text: String(text), kind }];
  changed();
  setTimeout(() => dismissToast(id), ms);
  return id;
}

export function dismissToast(id) {
  const before = state.toasts.length;
  state.toasts = state.toasts.filter((t) => t.id !== id);
  if (state.toasts.length !== before) changed();
}

/** Runs an API call and turns a failure into a friendly toast; resolves to undefined on failure. */
export async function attempt(promise, { success } = {}) {
  try {
    const result = await promise;
    if (success) toast(success, 'success', 3000);
    return result;
  } catch (e) {
    // The login screen explains both.
    if (e && (e.status === 401 || e.code === 'account_inactive')) return undefined;
    toast(e && e.message ? e.message : 'Something went wrong. Please try again.');
    return undefined;
  }
}

export function isAdmin(agent) {
  return !!agent && (agent.role === 'owner' || agent.role === 'admin');
}

export function agentById(id) {
  return state.agents.find((a) => a.id === id) || (state.me && state.me.id === id ? state.me : null);
}

export function agentName(id) {
  const a = agentById(id);
  return a ? a.name || a.email : `Agent #${id}`;
}

// Relative times ("2 min") stay fresh without a timer per row.
setInterval(() => {
  state.now = Date.now();
  changed();
}, 30000);

export function resetSessionState() {
  Object.assign(state, {
    me: null, account: null, agents: [], groups: [], tags: [], presence: new Map(), mode: null, counts: {},
    convs: new Map(), lists: {}, threads: new Map(), typing: new Map(), visitors: new Map(),
    connection: 'idle', current: null,
  });
}
