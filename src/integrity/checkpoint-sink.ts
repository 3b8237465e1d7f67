import type { Checkpoint } from './checkpoint.js';

/**
 * Where checkpoints go besides the database: somewhere the database's superuser cannot rewrite
 * together with the rows (another host, another OS user, an append-only or WORM store). The
 * writer appends every checkpoint after it is committed to the database; `append` resolves once
 * the checkpoint is durable in the sink, and rejects with AUDITRAIL_ERR_CHECKPOINT_SINK_FAILED.
 */
export interface CheckpointSink {
  readonly name: string;
  append(checkpoint: Checkpoint): Promise<void>;
  close(): Promise<void>;
}

/** An in-memory sink: a test double and a reference for other sinks. */
export interface MemoryCheckpointSink extends CheckpointSink {
  readonly checkpoints: readonly Checkpoint[];
}

export function createMemoryCheckpointSink(): MemoryCheckpointSink {
  const checkpoints: Checkpoint[] = [];
  return {
    name: 'memory',
    checkpoints,
    append: (c) => {
      checkpoints.push(c);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
