/** The foot of a keyset-paginated list: how many are shown, and the next page on demand. */
export function LoadMore({ shown, nextCursor, loading, onMore }: { shown: number; nextCursor: string | null; loading: boolean; onMore: () => void }) {
  return (
    <footer className="list-foot">
      <span className="muted small" data-testid="list-count">
        {shown} shown{nextCursor ? '' : ' · end of list'}
      </span>
      {nextCursor ? (
        <button type="button" className="button" onClick={onMore} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </footer>
  );
}
