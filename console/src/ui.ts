// Small DOM helpers: every control gets a visible label, an error line it points to with
// aria-describedby, and the server's field name (data-field) so that a field-named error from the
// server lands beside the right control.
import { ApiError, describeError } from './api';
import { problemInChinese } from './idnumber';

type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

let nextId = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++nextId}`;
}

export interface Field {
  wrap: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  error: HTMLElement;
}

// A labelled control. `serverField` is the request field the server names in its errors.
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  serverField: string,
  hint?: string,
): Field {
  const id = control.id || uid('f');
  control.id = id;
  control.dataset.field = serverField;
  const error = h('p', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' });
  const described = [`${id}-err`];
  let hintEl: HTMLElement | null = null;
  if (hint) {
    hintEl = h('p', { class: 'hint', id: `${id}-hint` }, hint);
    described.push(`${id}-hint`);
  }
  control.setAttribute('aria-describedby', described.join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, error);
  return { wrap, control, error };
}

export function input(attrs: Attrs = {}): HTMLInputElement {
  return h('input', { type: 'text', ...attrs });
}

export function select(options: [string, string][], attrs: Attrs = {}): HTMLSelectElement {
  const s = h('select', attrs);
  for (const [value, text] of options) s.append(h('option', { value }, text));
  return s;
}

export function setFieldError(f: { control: HTMLElement; error: HTMLElement }, text: string): void {
  f.error.textContent = text;
  if (text) f.control.setAttribute('aria-invalid', 'true');
  else f.control.removeAttribute('aria-invalid');
}

// Shows an error of the server: beside the control whose data-field the message names (focused),
// else in the form's message line.
export function showError(form: HTMLElement, messageLine: HTMLElement, e: unknown): void {
  for (const el of Array.from(form.querySelectorAll('.field-error'))) {
    if (el.getAttribute('data-server') === '1') {
      el.textContent = '';
      el.removeAttribute('data-server');
    }
  }
  if (e instanceof ApiError && e.field !== '') {
    const control = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(e.field)}"]`);
    const error = control ? form.querySelector<HTMLElement>(`#${CSS.escape(control.id)}-err`) : null;
    if (control && error) {
      error.textContent = `服务器:${problemInChinese(e.problem)}(${e.field})`;
      error.setAttribute('data-server', '1');
      control.setAttribute('aria-invalid', 'true');
      control.focus();
      messageLine.textContent = '请更正标出的字段。';
      messageLine.className = 'message error';
      return;
    }
  }
  messageLine.textContent = describeError(e);
  messageLine.className = 'message error';
}

export function ok(messageLine: HTMLElement, text: string): void {
  messageLine.textContent = text;
  messageLine.className = 'message ok';
  announce(text);
}

export function announce(text: string): void {
  const s = document.getElementById('status');
  if (s) s.textContent = text;
}

export function messageLine(): HTMLElement {
  return h('p', { class: 'message', role: 'alert' });
}

export function table(headers: string[], rows: Child[][], caption: string): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

export function pageTitle(text: string): HTMLElement {
  document.title = `${text} · 民政业务平台`;
  return h('h1', {}, text);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
