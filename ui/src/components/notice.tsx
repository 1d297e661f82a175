import type { ComponentChildren } from 'preact';

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty" role="status">{children}</div>;
}

export function ErrorNotice({ error }: { error?: Error }) {
  if (!error) return null;
  return <div class="error" role="alert">{error.message}</div>;
}
