#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { errorMessage, isAuditrailError } from '../core/errors.js';
import { println, type CliContext } from './cli-context.js';
import { demoCommand } from './commands/demo.js';
import { exportCommand } from './commands/export.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { queryCommand } from './commands/query.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { tailCommand } from './commands/tail.js';
import { proveCommand } from './commands/prove.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { packageVersion } from './version.js';

/** The auditrail CLI. The environment is read here, once, and handed to the commands. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('auditrail')
    .version(packageVersion(), '-v, --version')
    .description('The audit trail for AI agents: record what agents ask, think, do and are allowed to do.')
    .addHelpText(
      'after',
      `
Getting started:
  $ auditrail serve                          # server on http://127.0.0.1:7070, prints an admin key once
  $ export AUDITRAIL_API_KEY=atr_…           # that key (or one from \`auditrail keys create\`)
  $ auditrail query --since 1h               # what your agents did in the last hour
  $ auditrail tail                           # follow new interactions
  $ auditrail export -o audit.jsonl          # everything, to a file
  $ auditrail verify                         # prove the trail complete and untouched

Environment: AUDITRAIL_URL (default http://127.0.0.1:7070), AUDITRAIL_API_KEY, AUDITRAIL_CONFIG, and every
AUDITRAIL_* key of docs/configuration.md.
Exit codes: 0 ok, 1 failure, 2 bad usage, 3 bad configuration, 4 key missing/unknown/without scope,
5 server unreachable or busy, 6 not found, 7 verify found tampering or loss. Errors print their stable AUDITRAIL_ERR_* code (docs/errors.md).`,
    )
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  for (const cmd of [serveCommand(ctx), statusCommand(ctx), migrateCommand(ctx), keysCommand(ctx), queryCommand(ctx), tailCommand(ctx), exportCommand(ctx), verifyCommand(ctx), proveCommand(ctx), demoCommand(ctx)]) {
    program.addCommand(cmd);
  }
  // addCommand() does not pass these on: every command must throw instead of exiting, and write to ctx
  const inherit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) }).showHelpAfterError('(add --help for usage)');
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Prints an error with its code and how to solve it; returns the exit code. */
export function reportError(err: unknown, ctx: CliContext): number {
  if (err instanceof CommanderError) {
    // commander already printed the message (or the help/version)
    return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
  }
  if (isAuditrailError(err)) {
    println(ctx.stderr, `error ${err.code}: ${err.message}`);
    // a message that already lists the issues (CONFIG_INVALID does, with lines) is not repeated
    for (const issue of err.issues) if (!(err.message.includes(issue.path) && err.message.includes(issue.message))) println(ctx.stderr, `  - ${issue.path}: ${issue.message}`);
    println(ctx.stderr, `  how to solve: ${err.hint}`);
  } else {
    println(ctx.stderr, `error: ${errorMessage(err)}`);
  }
  return exitCodeOf(err);
}

async function main(): Promise<void> {
  const ctx: CliContext = { env: process.env, stdout: process.stdout, stderr: process.stderr };
  try {
    await buildProgram(ctx).parseAsync(process.argv);
  } catch (err) {
    process.exitCode = reportError(err, ctx);
  }
}

await main();
