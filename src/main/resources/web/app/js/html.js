// htm bound to Preact's h: tagged templates instead of JSX, so the dashboard needs no build step.
// Interpolated values become text nodes or attribute values, never parsed HTML.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
