import { ALNUM, BASE64URL, b64url, jwt, neg, pos, randomChars, type CorpusCase } from './corpus-case.js';

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = `${ALNUM}/+`;

function openai(): CorpusCase[] {
  const legacy = (): string => `sk-${randomChars(ALNUM, 20)}T3BlbkFJ${randomChars(ALNUM, 20)}`;
  const project = (): string => `sk-proj-${randomChars(BASE64URL, 60)}T3BlbkFJ${randomChars(BASE64URL, 60)}`;
  return [
    pos('openai_key', legacy(), 'export OPENAI_API_KEY={}'),
    pos('openai_key', legacy(), 'openai.api_key = "{}"'),
    pos('openai_key', project(), 'OPENAI_API_KEY={}'),
    pos('openai_key', project(), '{"apiKey":"{}","model":"gpt-4o"}'),
    pos('openai_key', project(), 'curl https://api.openai.com/v1/models -H "Authorization: Bearer {}"'),
    pos('openai_key', `sk-svcacct-${randomChars(BASE64URL, 120)}`, 'service account key: {}'),
    pos('openai_key', `sk-admin-${randomChars(BASE64URL, 100)}`, 'admin key {} rotated'),
    pos('openai_key', legacy(), '用的 key 是 {}，别外传'),
    pos('openai_key', project(), 'client = OpenAI(api_key="{}")'),
    pos('openai_key', `sk-${randomChars(ALNUM, 48)}`, 'old key {}.'),
    pos('openai_key', project(), '- name: OPENAI_API_KEY\n  value: {}'),
    pos('openai_key', legacy(), '[{}]'),
  ];
}

const OPENAI_NEAR: CorpusCase[] = [
  neg('we use sk-learn for the baseline model', 'scikit-learn nickname'),
  neg('see task-sk-1234567890abcdefghij in Jira', 'glued to a word'),
  neg('sk- is the prefix of OpenAI keys', 'bare prefix'),
  neg('risk-assessment-for-q3-2026-planning-doc', 'hyphenated prose'),
  neg('desk-sk-abcdefghijklmnopqrstuvwxyz', 'glued, no digits'),
  neg('OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'placeholder of x'),
  neg('OPENAI_API_KEY=sk-your-api-key-goes-right-here', 'placeholder words'),
  neg('OPENAI_API_KEY=sk-...', 'elided'),
  neg('kube-system/disk-pressure-threshold-exceeded', 'k8s names'),
  neg('flag --sk-mode=fast-and-loose-for-testing-only', 'flag'),
];

function anthropic(): CorpusCase[] {
  const key = (kind = 'api03'): string => `sk-ant-${kind}-${randomChars(BASE64URL, 93)}AA`;
  return [
    pos('anthropic_key', key(), 'ANTHROPIC_API_KEY={}'),
    pos('anthropic_key', key(), 'x-api-key: {}'),
    pos('anthropic_key', key('admin01'), 'admin key {}'),
    pos('anthropic_key', key(), '{"anthropic_key":"{}"}'),
    pos('anthropic_key', key(), 'Anthropic(api_key="{}")'),
    pos('anthropic_key', key(), '密钥：{}'),
    pos('anthropic_key', key(), '{}'),
    pos('anthropic_key', key('oat01'), 'oauth token {} expired'),
  ];
}

const ANTHROPIC_NEAR: CorpusCase[] = [
  neg('Anthropic keys start with sk-ant- followed by the kind', 'bare prefix'),
  neg('ANTHROPIC_API_KEY=sk-ant-REPLACE_ME', 'short placeholder'),
  neg('ANTHROPIC_API_KEY=sk-ant-xxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'placeholder of x'),
];

function aws(): CorpusCase[] {
  const id = (prefix = 'AKIA'): string => `${prefix}${randomChars(UPPER_DIGITS, 16)}`;
  const secret = (): string => randomChars(B64, 40);
  return [
    pos('aws_access_key_id', 'AKIAIOSFODNN7EXAMPLE', 'aws_access_key_id = {}'),
    pos('aws_access_key_id', id(), 'AWS_ACCESS_KEY_ID={}'),
    pos('aws_access_key_id', id('ASIA'), '"AccessKeyId": "{}"'),
    pos('aws_access_key_id', id(), 'credentials {} were leaked'),
    pos('aws_access_key_id', id('ABIA'), 'key id {}'),
    pos('aws_access_key_id', id('ACCA'), 'key id {}.'),
    pos('aws_access_key_id', id(), '访问密钥 ID：{}'),
    pos('aws_access_key_id', id('ASIA'), 'sts assume-role returned {}'),
    pos('aws_secret_access_key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = {}'),
    pos('aws_secret_access_key', secret(), 'AWS_SECRET_ACCESS_KEY={}'),
    pos('aws_secret_access_key', secret(), '"SecretAccessKey": "{}"'),
    pos('aws_secret_access_key', secret(), 'secret_access_key: {}'),
    pos('aws_secret_access_key', secret(), "aws_secret_access_key='{}'"),
    pos('aws_secret_access_key', secret(), 'export AWS_SECRET_ACCESS_KEY="{}"'),
    (() => {
      const [keyId, key] = [id(), secret()];
      return { text: `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${key}`, expect: [{ detector: 'aws_access_key_id' as const, value: keyId }, { detector: 'aws_secret_access_key' as const, value: key }] };
    })(),
    pos('aws_secret_access_key', secret(), '{"Credentials": {"SecretAccessKey":"{}"}}'),
  ];
}

const AWS_NEAR: CorpusCase[] = [
  neg('AKIAEXAMPLE is too short to be a key id', 'short'),
  neg('id AKIAIOSFODNN7EXAMPL in the doc', '15 characters after the prefix'),
  neg('akiaiosfodnn7example', 'lower case'),
  neg('AKIAIOSFODNN7EXAMPLEXYZ', 'too long'),
  neg('ASIA PACIFIC region and ASIAN markets', 'prose'),
  neg('commit da39a3ee5e6b4b0d3255bfef95601890afd80709 (40 hex chars, no AWS context)', 'sha1'),
  neg('aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}', 'template reference'),
  neg('set SecretAccessKey in the console, never in code', 'prose'),
  neg(`checksum ${randomChars(B64, 40)}`, '40 base64 characters without context'),
];

function github(): CorpusCase[] {
  const classic = (p: string): string => `${p}_${randomChars(ALNUM, 36)}`;
  return [
    pos('github_token', classic('ghp'), 'GITHUB_TOKEN={}'),
    pos('github_token', classic('gho'), 'oauth token {}'),
    pos('github_token', classic('ghu'), 'user-to-server {}'),
    pos('github_token', classic('ghs'), 'installation token {} (expires in 1h)'),
    pos('github_token', classic('ghr'), 'refresh {}'),
    pos('github_token', `github_pat_11${randomChars(ALNUM, 20)}_${randomChars(ALNUM, 59)}`, 'fine-grained PAT: {}'),
    pos('github_token', classic('ghp'), 'git clone https://{}@github.com/acme/app.git'),
    pos('github_token', classic('ghp'), '{"token":"{}"}'),
    pos('github_token', classic('ghs'), 'Authorization: token {}'),
    pos('github_token', `github_pat_11${randomChars(ALNUM, 20)}_${randomChars(ALNUM, 59)}`, '令牌 {}'),
  ];
}

const GITHUB_NEAR: CorpusCase[] = [
  neg('token ghp_short is invalid', 'too short'),
  neg('classic tokens start with ghp_ and have 36 characters', 'bare prefix'),
  neg('github_pat_ is the fine-grained prefix', 'bare prefix'),
  neg(`ghx_${randomChars(ALNUM, 36)}`, 'not a GitHub prefix'),
  neg('commit 3f786850e387550fdab836ed7e6dc881de23001b', 'git sha'),
  neg('merge_ghp_branch_into_main_for_release_2026', 'identifier'),
];

function gitlab(): CorpusCase[] {
  return [
    pos('gitlab_token', `glpat-${randomChars(BASE64URL, 20)}7`, 'GITLAB_TOKEN={}'),
    pos('gitlab_token', `glpat-${randomChars(ALNUM, 19)}1`, 'PRIVATE-TOKEN: {}'),
    pos('gitlab_token', `gldt-${randomChars(ALNUM, 19)}2`, 'deploy token {}'),
    pos('gitlab_token', `glrt-${randomChars(ALNUM, 19)}3`, 'runner token {}.'),
    pos('gitlab_token', `glptt-${randomChars(ALNUM, 39)}4`, 'trigger {}'),
    pos('gitlab_token', `glpat-${randomChars(ALNUM, 19)}5`, 'git clone https://oauth2:{}@gitlab.example.com/g/p.git'),
    pos('gitlab_token', `glpat-${randomChars(ALNUM, 26)}9`, '"token": "{}"'),
    pos('gitlab_token', `glft-${randomChars(ALNUM, 19)}8`, 'feed token {}'),
  ];
}

const GITLAB_NEAR: CorpusCase[] = [
  neg('GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx', 'placeholder'),
  neg('personal access tokens start with glpat-', 'bare prefix'),
  neg('global-settings-for-the-cluster-2026', 'prose'),
  neg('glpat-short1', 'too short'),
];

function slack(): CorpusCase[] {
  const num = (n: number): string => randomChars('0123456789', n);
  return [
    pos('slack_token', `xoxb-${num(12)}-${num(13)}-${randomChars(ALNUM, 24)}`, 'SLACK_BOT_TOKEN={}'),
    pos('slack_token', `xoxp-${num(12)}-${num(12)}-${num(13)}-${randomChars('0123456789abcdef', 32)}`, 'user token {}'),
    pos('slack_token', `xapp-1-A${num(10)}-${num(13)}-${randomChars('0123456789abcdef', 64)}`, 'app-level token {}'),
    pos('slack_token', `xoxe-1-${randomChars(ALNUM, 60)}9`, 'refresh {}'),
    pos('slack_token', `xoxb-${num(12)}-${num(13)}-${randomChars(ALNUM, 24)}`, '{"token":"{}"}'),
    pos('slack_token', `xoxp-${num(11)}-${num(11)}-${num(13)}-${randomChars('0123456789abcdef', 32)}`, 'Authorization: Bearer {}'),
    pos('slack_token', `xoxs-${num(12)}-${randomChars(ALNUM, 30)}`, 'session token {}'),
    pos('slack_token', `xoxb-${num(12)}-${num(13)}-${randomChars(ALNUM, 24)}`, 'slack_bot_token: {}'),
    pos('slack_webhook', `services/T${randomChars(UPPER_DIGITS, 8)}/B${randomChars(UPPER_DIGITS, 10)}/${randomChars(ALNUM, 24)}`, 'webhook https://hooks.slack.com/{}'),
    pos('slack_webhook', `services/T${randomChars(UPPER_DIGITS, 10)}/B${randomChars(UPPER_DIGITS, 10)}/${randomChars(ALNUM, 24)}`, '"url": "https://hooks.slack.com/{}"'),
    pos('slack_webhook', `workflows/T${randomChars(UPPER_DIGITS, 10)}/A${randomChars(UPPER_DIGITS, 10)}/123456789012345678/${randomChars(ALNUM, 24)}`, 'POST https://hooks.slack.com/{}'),
  ];
}

const SLACK_NEAR: CorpusCase[] = [
  neg('SLACK_BOT_TOKEN=xoxb-your-bot-token-here', 'placeholder'),
  neg('xoxo-hugs-and-kisses-from-the-team', 'prose'),
  neg('bot tokens start with xoxb-', 'bare prefix'),
  neg('see https://api.slack.com/messaging/webhooks for setup', 'docs URL'),
  neg('https://hooks.slack.com/ is the webhook host', 'host only'),
];

function stripe(): CorpusCase[] {
  return [
    pos('stripe_key', `sk_live_${randomChars(ALNUM, 24)}`, 'STRIPE_SECRET_KEY={}'),
    pos('stripe_key', `rk_live_${randomChars(ALNUM, 24)}`, 'restricted key {}'),
    pos('stripe_key', `pk_live_${randomChars(ALNUM, 24)}`, 'Stripe("{}")'),
    pos('stripe_key', `sk_test_${randomChars(ALNUM, 24)}`, 'test key {}'),
    pos('stripe_key', `whsec_${randomChars(ALNUM, 32)}`, 'STRIPE_WEBHOOK_SECRET={}'),
    pos('stripe_key', `sk_live_${randomChars(ALNUM, 99)}`, '{"stripe":"{}"}'),
    pos('stripe_key', `rk_test_${randomChars(ALNUM, 24)}`, 'restricted test key {} for CI'),
    pos('stripe_key', `whsec_${randomChars(ALNUM, 32)}`, 'endpoint secret: {}'),
    pos('stripe_key', `sk_live_${randomChars(ALNUM, 24)}`, 'stripe.api_key = "{}"'),
  ];
}

const STRIPE_NEAR: CorpusCase[] = [
  neg('secret keys start with sk_live_', 'bare prefix'),
  neg('STRIPE_SECRET_KEY=sk_live_xxx', 'short placeholder'),
  neg('use pk_test in development', 'prose'),
  neg('metric disk_live_stats_total', 'metric name'),
];

function google(): CorpusCase[] {
  return [
    pos('google_api_key', `AIzaSy${randomChars(BASE64URL, 33)}`, 'GOOGLE_API_KEY={}'),
    pos('google_api_key', `AIzaSy${randomChars(BASE64URL, 33)}`, 'https://maps.googleapis.com/maps/api/geocode/json?key={}&address=x'),
    pos('google_api_key', `AIzaSy${randomChars(BASE64URL, 33)}`, '"apiKey": "{}"'),
    pos('google_api_key', `AIzaSy${randomChars(BASE64URL, 33)}`, 'firebase config {}'),
    pos('google_api_key', `AIzaSy${randomChars(BASE64URL, 33)}`, 'const apiKey = "{}";'),
    pos('google_api_key', `AIza${randomChars(BASE64URL, 35)}`, '谷歌地图 key={}'),
    pos('google_api_key', `AIzaSy${randomChars(BASE64URL, 33)}`, '<meta name="google-key" content="{}">'),
    pos('google_api_key', `AIzaSy${randomChars(BASE64URL, 33)}`, 'YouTube Data API: {}.'),
  ];
}

const GOOGLE_NEAR: CorpusCase[] = [
  neg('Google keys start with AIza', 'bare prefix'),
  neg(`key AIzaSy${randomChars(ALNUM, 20)} truncated`, 'too short'),
];

function jwts(): CorpusCase[] {
  const payload = { sub: '1234567890', name: 'Jane', iat: 1700000000 };
  return [
    pos('jwt', jwt({ alg: 'HS256', typ: 'JWT' }, payload), 'id_token={}'),
    pos('jwt', jwt({ alg: 'RS256', typ: 'JWT', kid: 'k1' }, { ...payload, aud: 'api' }, 342), 'Cookie: session={}; Path=/'),
    pos('jwt', jwt({ alg: 'ES256' }, payload, 86), '{"access_token":"{}","token_type":"Bearer"}'),
    pos('jwt', jwt({ alg: 'HS512', typ: 'JWT' }, payload, 86), 'Authorization: Bearer {}'),
    pos('jwt', `${b64url({ alg: 'none' })}.${b64url(payload)}.`, 'unsigned token {} rejected'),
    pos('jwt', jwt({ typ: 'JWT', alg: 'EdDSA' }, payload), 'token: {}'),
    pos('jwt', jwt({ alg: 'RS256' }, { iss: 'https://accounts.google.com', email: 'x@y.z' }, 342), '令牌 {} 已过期'),
    pos('jwt', `${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.${randomChars(BASE64URL, 342)}.${randomChars(BASE64URL, 22)}.${randomChars(BASE64URL, 40)}.${randomChars(BASE64URL, 22)}`, 'JWE {}'),
    pos('jwt', jwt({ alg: 'HS256', typ: 'JWT' }, payload), '{}.'),
  ];
}

const JWT_NEAR: CorpusCase[] = [
  neg('tokens begin with eyJ because {" encodes that way', 'prose'),
  neg(`${b64url({ foo: 'bar' })}.${b64url({ x: 1 })}.${randomChars(BASE64URL, 20)}`, 'base64 JSON without alg'),
  neg(`header ${b64url({ alg: 'HS256' })} alone`, 'one part'),
  neg(`${b64url({ alg: 'HS256' })}.${b64url({ sub: '1' })}`, 'two parts'),
  neg(`config=${b64url({ replicas: 3, image: 'nginx' })}`, 'base64 config'),
];

function privateKeys(): CorpusCase[] {
  const body = (lines: number): string => Array.from({ length: lines }, () => randomChars(`${ALNUM}+/`, 64)).join('\n');
  const block = (label: string, lines = 6): string => `-----BEGIN ${label}-----\n${body(lines)}\n-----END ${label}-----`;
  return [
    pos('private_key', block('RSA PRIVATE KEY'), 'key file:\n{}\n'),
    pos('private_key', block('PRIVATE KEY'), '{}'),
    pos('private_key', block('EC PRIVATE KEY', 3), 'tls.key: |\n{}'),
    pos('private_key', block('OPENSSH PRIVATE KEY', 8), 'cat ~/.ssh/id_ed25519\n{}'),
    pos('private_key', block('ENCRYPTED PRIVATE KEY'), '{}'),
    pos('private_key', block('PGP PRIVATE KEY BLOCK'), 'gpg --export-secret-keys -a\n{}'),
    pos('private_key', `-----BEGIN RSA PRIVATE KEY-----\n${body(4)}`, 'truncated output:\n{}'),
    pos('private_key', block('PRIVATE KEY', 2).replace(/\n/g, '\\n'), '{"private_key": "{}"}'),
  ];
}

const PRIVATE_KEY_NEAR: CorpusCase[] = [
  neg(`-----BEGIN PUBLIC KEY-----\n${randomChars(ALNUM, 64)}\n-----END PUBLIC KEY-----`, 'public key'),
  neg(`-----BEGIN CERTIFICATE-----\n${randomChars(ALNUM, 64)}\n-----END CERTIFICATE-----`, 'certificate'),
  neg('never paste a BEGIN PRIVATE KEY block into chat', 'prose'),
  neg('-----BEGIN RSA PUBLIC KEY-----', 'public key header'),
  neg('---------- separator line ----------', 'dashes'),
];

export const SECRET_CORPUS: readonly CorpusCase[] = [
  ...openai(),
  ...OPENAI_NEAR,
  ...anthropic(),
  ...ANTHROPIC_NEAR,
  ...aws(),
  ...AWS_NEAR,
  ...github(),
  ...GITHUB_NEAR,
  ...gitlab(),
  ...GITLAB_NEAR,
  ...slack(),
  ...SLACK_NEAR,
  ...stripe(),
  ...STRIPE_NEAR,
  ...google(),
  ...GOOGLE_NEAR,
  ...jwts(),
  ...JWT_NEAR,
  ...privateKeys(),
  ...PRIVATE_KEY_NEAR,
];
