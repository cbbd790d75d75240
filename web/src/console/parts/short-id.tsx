/** A UUID shortened for a table, the whole id kept for a screen reader's "title" and for copying. */
export function ShortId({ id }: { id: string | null }) {
  if (!id) return <span class="muted">none</span>;
  return (
    <code title={id} class="short-id">
      {id.slice(0, 8)}
    </code>
  );
}
