/** Every data value reaches the page through one of these; nothing from a report is ever inserted raw. */
export function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A string usable in an `id` attribute and a `#fragment` without escaping (IDs like `CPO-07` stay readable). */
export function anchorOf(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}
