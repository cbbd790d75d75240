import type { ComponentChildren } from 'preact';

/** Small building blocks every screen uses. */
export function Screen({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="screen" aria-labelledby="screen-title">
      <h1 id="screen-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}

export function ErrorNote({ text }: { text: string | null | undefined }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}

export function Note({ text }: { text: string | null | undefined }) {
  return text ? (
    <p class="note" role="status">
      {text}
    </p>
  ) : null;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** Reads a form's fields as strings. */
export function formValues(e: Event): Record<string, string> {
  e.preventDefault();
  return Object.fromEntries([...new FormData(e.currentTarget as HTMLFormElement)].map(([k, v]) => [k, String(v)]));
}
