import type { Pagination } from '@ticketgate/ui/api';

/** Previous / next over a paginated listing, with where we are in words. */
export function Pager({ pagination, onPage }: { pagination: Pagination | undefined; onPage: (page: number) => void }) {
  if (!pagination || pagination.total_pages <= 1) return null;
  const { page, total_pages: pages, total } = pagination;
  return (
    <nav class="row-actions pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span>
        Page {page} of {pages} ({total} in all)
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
