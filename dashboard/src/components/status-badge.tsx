/** A coloured status word (interaction, tool call, event type or approval outcome). */
export function StatusBadge({ status, title }: { status: string; title?: string }) {
  return (
    <span className={`badge badge-${tone(status)}`} title={title} data-status={status}>
      {status.replace(/_/g, ' ')}
    </span>
  );
}

function tone(status: string): string {
  switch (status) {
    case 'success':
    case 'action_completed':
    case 'approval_granted':
    case 'granted':
      return 'ok';
    case 'error':
    case 'action_failed':
    case 'action_rejected':
    case 'approval_denied':
    case 'denied':
    case 'rejected':
      return 'bad';
    case 'timeout':
    case 'approval_requested':
    case 'pending':
      return 'warn';
    case 'action_started':
      return 'info';
    default:
      return 'muted';
  }
}
