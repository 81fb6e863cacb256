// Inline SVG icons (24×24 stroke icons in the Feather/Lucide style, drawn here). Decorative by default:
// the surrounding button or link carries the accessible label.
import { html } from './html.js';

function icon(paths, { size = 18, fill = 'none', className = '', label } = {}) {
  return html`<svg class=${`icon ${className}`} width=${size} height=${size} viewBox="0 0 24 24" fill=${fill}
    stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
    aria-hidden=${label ? undefined : 'true'} role=${label ? 'img' : undefined} aria-label=${label}
    focusable="false">${paths}</svg>`;
}

export const StarIcon = ({ filled, ...o }) => icon(html`<path d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.5L12 17.3l-5.9 3.2 1.3-6.5L2.5 9.4l6.6-.8z"/>`,
  { ...o, fill: filled ? 'currentColor' : 'none' });
export const CheckIcon = (o) => icon(html`<path d="M20 6L9 17l-5-5"/>`, o);
export const CheckCheckIcon = (o) => icon(html`<path d="M2 12.5l4.5 4.5L15 8.5"/><path d="M9.5 16l1 1L19 8.5"/>`, o);
export const EnvelopeIcon = (o) => icon(html`<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3 7l9 6 9-6"/>`, o);
export const MessengerIcon = ({ size = 16, className = '', label } = {}) => html`<svg class=${`icon ${className}`}
  width=${size} height=${size} viewBox="0 0 24 24" aria-hidden=${label ? undefined : 'true'} role=${label ? 'img' : undefined}
  aria-label=${label} focusable="false"><path fill="currentColor" d="M12 2C6.4 2 2 6.1 2 11.7c0 2.9 1.2 5.5 3.2 7.2v3.4l3.1-1.7c.9.2 1.8.4 2.7.4h1c5.6 0 10-4.1 10-9.7S17.6 2 12 2zm1 12.9l-2.5-2.7-4.9 2.7 5.4-5.7 2.6 2.7 4.8-2.7z"/></svg>`;
export const BellIcon = (o) => icon(html`<path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.7 21a2 2 0 0 1-3.4 0"/>`, o);
export const BellOffIcon = (o) => icon(html`<path d="M13.7 21a2 2 0 0 1-3.4 0"/><path d="M18.6 13A18 18 0 0 1 18 8"/><path d="M6.3 6.3A6 6 0 0 0 6 8c0 7-3 9-3 9h14"/><path d="M18 8a6 6 0 0 0-9.3-5"/><path d="M2 2l20 20"/>`, o);
export const VolumeIcon = (o) => icon(html`<path d="M11 5L6 9H2v6h4l5 4z"/><path d="M15.5 8.5a5 5 0 0 1 0 7"/><path d="M19 5a10 10 0 0 1 0 14"/>`, o);
export const VolumeOffIcon = (o) => icon(html`<path d="M11 5L6 9H2v6h4l5 4z"/><path d="M22 9l-6 6"/><path d="M16 9l6 6"/>`, o);
export const UserPlusIcon = (o) => icon(html`<path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/><path d="M19 8v6M22 11h-6"/>`, o);
export const UsersIcon = (o) => icon(html`<path d="M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/><path d="M23 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8"/>`, o);
export const TagIcon = (o) => icon(html`<path d="M20.6 13.4l-7.2 7.2a2 2 0 0 1-2.8 0L2 12V2h10l8.6 8.6a2 2 0 0 1 0 2.8z"/><circle cx="7" cy="7" r="1.5"/>`, o);
export const MailUnreadIcon = (o) => icon(html`<path d="M22 10.5V18a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h11"/><path d="M2 7l10 6 4-2.4"/><circle cx="19.5" cy="5" r="2.5" fill="currentColor"/>`, o);
export const LogOutIcon = (o) => icon(html`<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4"/><path d="M16 17l5-5-5-5M21 12H9"/>`, o);
export const SettingsIcon = (o) => icon(html`<circle cx="12" cy="12" r="3"/><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z"/>`, o);
export const ChatIcon = (o) => icon(html`<path d="M21 12a8 8 0 0 1-11.6 7.1L3 21l1.9-6.4A8 8 0 1 1 21 12z"/>`, o);
export const SendIcon = (o) => icon(html`<path d="M22 2L11 13"/><path d="M22 2l-7 20-4-9-9-4z"/>`, o);
export const XIcon = (o) => icon(html`<path d="M18 6L6 18M6 6l12 12"/>`, o);
export const CopyIcon = (o) => icon(html`<rect x="9" y="9" width="13" height="13" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>`, o);
export const TrashIcon = (o) => icon(html`<path d="M3 6h18M8 6V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6"/>`, o);
export const PlusIcon = (o) => icon(html`<path d="M12 5v14M5 12h14"/>`, o);
export const ChevronDownIcon = (o) => icon(html`<path d="M6 9l6 6 6-6"/>`, o);
export const ArrowLeftIcon = (o) => icon(html`<path d="M19 12H5M12 19l-7-7 7-7"/>`, o);
export const GlobeIcon = (o) => icon(html`<circle cx="12" cy="12" r="10"/><path d="M2 12h20M12 2a15 15 0 0 1 0 20 15 15 0 0 1 0-20z"/>`, o);
export const InboxIcon = (o) => icon(html`<path d="M22 12h-6l-2 3h-4l-2-3H2"/><path d="M5.5 5.1L2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.5-6.9A2 2 0 0 0 16.8 4H7.2a2 2 0 0 0-1.7 1.1z"/>`, o);
export const NoteIcon = (o) => icon(html`<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/><path d="M14 2v6h6M8 13h8M8 17h5"/>`, o);
export const WifiOffIcon = (o) => icon(html`<path d="M2 2l20 20M8.5 16.5a5 5 0 0 1 7 0M5 12.9a10 10 0 0 1 5.2-2.8M19 12.9a10 10 0 0 0-2.3-1.7M1.4 9a16 16 0 0 1 4.7-2.9M22.6 9A16 16 0 0 0 10.7 5"/><circle cx="12" cy="20" r="1" fill="currentColor"/>`, o);
export const LockIcon = (o) => icon(html`<rect x="3" y="11" width="18" height="11" rx="2"/><path d="M7 11V7a5 5 0 0 1 10 0v4"/>`, o);
export const KeyIcon = (o) => icon(html`<circle cx="7.5" cy="15.5" r="5.5"/><path d="M11.5 11.5L22 1M18 5l3 3M15 8l3 3"/>`, o);
export const CodeIcon = (o) => icon(html`<path d="M16 18l6-6-6-6M8 6l-6 6 6 6"/>`, o);
export const MoreIcon = (o) => icon(html`<circle cx="12" cy="12" r="1"/><circle cx="19" cy="12" r="1"/><circle cx="5" cy="12" r="1"/>`, o);

export function ChannelIcon({ channel }) {
  const type = typeof channel === 'string' ? channel : channel && channel.type;
  if (type === 'facebook' || type === 'messenger') {
    return html`<span class="channel channel-messenger" title="Facebook Messenger"><${MessengerIcon} size=${14} label="Messenger"/></span>`;
  }
  if (type === 'email') {
    return html`<span class="channel channel-email" title="Email"><${EnvelopeIcon} size=${14} label="Email"/></span>`;
  }
  return null;
}
// Issue #18: office hours; a conversation marked unread (a filled dot, not an envelope, which reads as email);
// a conversation that came in through the offline contact form.
export const ClockIcon = (o) => icon(html`<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>`, o);
export const UnreadDotIcon = (o) => icon(html`<circle cx="12" cy="12" r="8"/><circle cx="12" cy="12" r="4" fill="currentColor"/>`, o);
export const OfflineFormIcon = (o) => icon(html`<path d="M4 5h16v11H8l-4 4z"/><path d="M9 10h6"/>`, o);
