import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { useStore, isAdmin } from '../store.js';
import { logout, setMyStatus } from '../session.js';
import { Avatar, Popover } from './common.js';
import {
  ChatIcon, SettingsIcon, UsersIcon, BellIcon, BellOffIcon, VolumeIcon, VolumeOffIcon, LogOutIcon,
} from '../icons.js';
import {
  notificationPermission, requestNotifications, soundEnabled, setSoundEnabled,
} from '../notify.js';

export function TopBar({ route }) {
  const s = useStore();
  const me = s.me || {};
  const online = me.status === 'online';
  const [permission, setPermission] = useState(notificationPermission());
  const [sound, setSound] = useState(soundEnabled());
  const inbox = route.view === 'inbox';

  return html`<header class="topbar">
    <a class="brand" href="#/conversations/${route.tab || 'all'}" aria-label="Parley — conversations">
      <img src="/app/favicon.svg" alt="" width="26" height="26"/><span class="brand-name">Parley</span>
    </a>
    <nav class="mainnav" aria-label="Main">
      <a href="#/" class=${inbox ? 'active' : ''} aria-current=${inbox ? 'page' : undefined}
        aria-label=${s.counts.all ? `Conversations, ${s.counts.all} open` : 'Conversations'}>
        <${ChatIcon} size=${16}/> <span class="nav-label">Conversations</span>
        ${s.counts.all ? html`<span class="nav-count" aria-hidden="true">${s.counts.all}</span>` : null}
      </a>
      <a href="#/visitors" class=${route.view === 'visitors' ? 'active' : ''} aria-current=${route.view === 'visitors' ? 'page' : undefined}
        aria-label="Visitors"><${UsersIcon} size=${16}/> <span class="nav-label">Visitors</span></a>
      ${isAdmin(s.me) ? html`<a href="#/settings" class=${route.view === 'settings' ? 'active' : ''} aria-label="Settings"
        aria-current=${route.view === 'settings' ? 'page' : undefined}><${SettingsIcon} size=${16}/> <span class="nav-label">Settings</span></a>` : null}
    </nav>
    <div class="topbar-right">
      ${permission === 'default' ? html`<button type="button" class="btn btn-ghost btn-sm"
          aria-label="Enable desktop notifications" title="Enable desktop notifications"
          onClick=${async () => setPermission(await requestNotifications())}>
          <${BellIcon} size=${16}/> <span class="btn-label">Enable desktop notifications</span></button>`
        : permission === 'denied' ? html`<span class="muted small" title="Notifications are blocked in this browser's site settings">
          <${BellOffIcon} size=${16}/></span>` : null}
      <button type="button" class="icon-btn" aria-pressed=${sound ? 'true' : 'false'}
        aria-label=${sound ? 'Sound on — mute new-message sound' : 'Sound off — turn new-message sound on'}
        title=${sound ? 'Sound on' : 'Sound off'}
        onClick=${() => { setSoundEnabled(!sound); setSound(!sound); }}>
        ${sound ? html`<${VolumeIcon}/>` : html`<${VolumeOffIcon}/>`}
      </button>
      <button type="button" role="switch" aria-checked=${online ? 'true' : 'false'}
        class=${`status-switch ${online ? 'is-online' : ''}`}
        title=${online ? 'You are online: the chat box is available to visitors' : 'You are offline'}
        onClick=${() => setMyStatus(online ? 'offline' : 'online')}>
        <span class="status-track" aria-hidden="true"><span class="status-knob"></span></span>
        <span class="status-label">${online ? 'Online' : 'Offline'}</span>
      </button>
      <${Popover} title="Your account" buttonClass="me-button" panelLabel="Account menu"
        label=${html`<${Avatar} name=${me.name || me.email} colourKey=${me.id} url=${me.avatar_url} size=${30}
          presence=${online ? 'online' : 'offline'}/><span class="me-name">${me.name || me.email}</span>`}>
        ${() => html`<div class="menu">
          <div class="menu-head">
            <strong>${me.name}</strong>
            <span class="muted small">${me.email}</span>
            <span class="muted small">${roleLabel(me.role)}${s.account && s.account.name ? html` · ${s.account.name}` : null}</span>
          </div>
          <a class="menu-item" href="#/settings/profile"><${UsersIcon} size=${16}/> My profile</a>
          <a class="menu-item" href="#/settings/shortcuts"><${ChatIcon} size=${16}/> My shortcuts</a>
          <button type="button" class="menu-item" onClick=${logout}><${LogOutIcon} size=${16}/> Log out</button>
        </div>`}
      <//>
    </div>
  </header>`;
}

export function roleLabel(role) {
  return role === 'owner' ? 'Owner' : role === 'admin' ? 'Admin (full access)' : 'Agent (limited access)';
}
