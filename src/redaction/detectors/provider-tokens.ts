import { P_TOKEN } from '../text-profile.js';
import { charClasses, eachMatch, isWordAt, type Detector, type MatchSink } from './detector.js';

interface TokenSpec {
  readonly name: string;
  /** Substrings one of which every match contains: the cheap pre-filter. */
  readonly anchors: readonly string[];
  /** Text-profile bits (see Detector.requires). */
  readonly requires: number;
  /** Starts with a literal so the engine can skip ahead; the boundary before is checked in code. */
  readonly pattern: RegExp;
  /** Characters that may not touch the match on either side (besides [A-Za-z0-9_]). */
  readonly glue?: string;
  /** Extra validation of the matched token. */
  readonly valid?: (token: string) => boolean;
  /** Trailing characters to trim (e.g. a sentence's full stop after a GitLab token). */
  readonly trimEnd?: RegExp;
}

/** A random-looking body: digits and letters of both cases, as every real key of these kinds has. */
function looksRandom(body: string): boolean {
  const c = charClasses(body);
  return c.digit && c.upper && c.lower;
}

function tokenDetector(spec: TokenSpec): Detector {
  const re = new RegExp(spec.pattern.source, 'g');
  const glue = spec.glue ?? '';
  return {
    name: spec.name,
    requires: spec.requires,
    mayMatch: (text) => spec.anchors.some((a) => text.includes(a)),
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const start = m.index;
        let token = m[0];
        if (spec.trimEnd) token = token.replace(spec.trimEnd, '');
        const end = start + token.length;
        if (isWordAt(text, start - 1, glue) || (token === m[0] && isWordAt(text, end, glue))) return false;
        if (spec.valid && !spec.valid(token)) return false;
        sink.add(start, end);
      });
    },
  };
}

/** Anthropic API and admin keys: `sk-ant-api03-…`, `sk-ant-admin01-…`. */
export const createAnthropicKeyDetector = (): Detector =>
  tokenDetector({ name: 'anthropic_key', anchors: ['sk-ant-'], requires: P_TOKEN, pattern: /sk-ant-[A-Za-z0-9_-]{20,}/, glue: '-', valid: (t) => looksRandom(t.slice(7)) });

/** OpenAI keys: legacy `sk-<48>`, project `sk-proj-…`, service account `sk-svcacct-…`, admin `sk-admin-…`. */
export const createOpenAiKeyDetector = (): Detector =>
  tokenDetector({
    name: 'openai_key',
    anchors: ['sk-'],
    requires: P_TOKEN,
    pattern: /sk-(?!ant-)(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{20,}/,
    glue: '-',
    valid: (t) => looksRandom(t.slice(3)) && !/-{2}|_{2}/.test(t),
  });

/** AWS access key ids: AKIA (long-term), ASIA (temporary STS), ABIA, ACCA, then 16 upper-case/digits. */
export const createAwsAccessKeyIdDetector = (): Detector =>
  tokenDetector({ name: 'aws_access_key_id', anchors: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], requires: P_TOKEN, pattern: /A(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16}/ });

/** GitHub tokens: classic (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36) and fine-grained (`github_pat_`). */
export const createGithubTokenDetector = (): Detector =>
  tokenDetector({
    name: 'github_token',
    anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    requires: P_TOKEN,
    pattern: /gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244}/,
  });

/** GitLab tokens: personal (`glpat-`), deploy, runner, trigger, feed, OAuth, CI job... */
export const createGitlabTokenDetector = (): Detector =>
  tokenDetector({
    name: 'gitlab_token',
    anchors: ['gl'],
    requires: P_TOKEN,
    pattern: /gl(?:pat|dt|rt|ptt|ft|soat|imt|cbt|agent|oas|ffct)-[A-Za-z0-9_.-]{20,}/,
    glue: '-',
    trimEnd: /[.-]+$/,
    valid: (t) => /\d/.test(t.slice(t.indexOf('-') + 1)),
  });

/** Slack bot/user/app/refresh tokens: `xoxb-`, `xoxp-`, `xoxa-`, `xoxo-`, `xoxr-`, `xoxs-`, `xoxe-`, `xapp-`. */
export const createSlackTokenDetector = (): Detector =>
  tokenDetector({
    name: 'slack_token',
    anchors: ['xox', 'xapp-'],
    requires: P_TOKEN,
    pattern: /(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}/,
    glue: '-',
    valid: (t) => /\d/.test(t),
  });

/** Stripe secret, restricted and publishable keys (live and test), and webhook signing secrets. */
export const createStripeKeyDetector = (): Detector =>
  tokenDetector({
    name: 'stripe_key',
    anchors: ['_live_', '_test_', 'whsec_'],
    requires: P_TOKEN,
    pattern: /(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,247}|whsec_[A-Za-z0-9]{24,}/,
  });

/** Google API keys: `AIza` + 35 characters. */
export const createGoogleApiKeyDetector = (): Detector =>
  tokenDetector({ name: 'google_api_key', anchors: ['AIza'], requires: P_TOKEN, pattern: /AIza[0-9A-Za-z_-]{35}/, glue: '-' });

/** Slack incoming webhooks: the path after hooks.slack.com is the secret. */
export function createSlackWebhookDetector(): Detector {
  const re = /hooks\.slack\.com\/((?:services|workflows|triggers)\/[A-Za-z0-9_/-]{10,})/g;
  return {
    name: 'slack_webhook',
    requires: P_TOKEN,
    mayMatch: (text) => text.includes('hooks.slack.com/'),
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const path = m[1]!;
        const end = m.index + m[0].length;
        sink.add(end - path.length, end);
      });
    },
  };
}
