import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';

export function NotFoundPage() {
  return (
    <EmptyState title="No such page">
      <p>
        <Link href="/interactions">Go to the interactions</Link>
      </p>
    </EmptyState>
  );
}
