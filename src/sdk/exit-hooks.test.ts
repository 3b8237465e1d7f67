import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./test-support/exit-child.ts', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-exit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  exported: string[];
}

async function run(mode: string, signalWhenReady?: NodeJS.Signals): Promise<Ended> {
  const out = join(dir, `${mode}.txt`);
  const p = spawn(process.execPath, ['--import', 'tsx', child, mode, out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    if (signalWhenReady && stdout.includes('ready')) p.kill(signalWhenReady);
  });
  p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => p.on('close', (c, s) => resolve([c, s])));
  const exported = (await readFile(out, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, signal, stdout, stderr, exported };
}

describe('flush on process exit', { timeout: 60_000 }, () => {
  it('flushes when the event loop runs dry (beforeExit), then exits normally', async () => {
    const r = await run('return');
    expect(r.exported).toHaveLength(3);
    expect(r.code).toBe(0);
  });

  it('flushes on SIGTERM, then dies of the signal as it would have without the logger', async () => {
    const r = await run('signal', 'SIGTERM');
    expect(r.exported).toHaveLength(3);
    expect(r.signal).toBe('SIGTERM');
  });

  it("flushes on SIGTERM but leaves the signal to the application's own handler", async () => {
    const r = await run('signal-with-handler', 'SIGTERM');
    expect(r.exported).toHaveLength(3);
    expect(r.stdout).toContain('app handler');
    expect(r.code).toBe(7);
  });

  it('reports what is lost when the process exits without a chance to flush', async () => {
    const r = await run('exit-now');
    expect(r.exported).toHaveLength(0);
    expect(r.stderr).toContain('diagnostic AUDITRAIL_ERR_EXPORT_FAILED dropped 3');
    expect(r.code).toBe(0);
  });

  it('writes that loss to stderr at exit when no diagnostic hook is set', async () => {
    const r = await run('exit-now-nohook');
    expect(r.stderr).toMatch(/AuditrailWarning: .*\(3 records dropped\)/);
  });
});
