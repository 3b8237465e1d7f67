import { card, grouped, neg, pos, type CorpusCase } from './corpus-case.js';

/**
 * A second batch written after the first scoring run, as a tester would: more formats of the same
 * values (CSV, XML, env, kwargs, headers) and more look-alikes seen in real logs.
 */
export const MORE_FORMS_CORPUS: readonly CorpusCase[] = [
  // emails
  pos('email', 'test.user+tag@sub-domain.example.co.jp', 'name,email\nTest,{},active'),
  pos('email', 'john@example.com', 'Email:{}'),
  pos('email', 'ops@example.com', 'level=info msg="notified" user="{}"'),
  { text: 'to: a.b@example.com;c.d@example.org', expect: [{ detector: 'email', value: 'a.b@example.com' }, { detector: 'email', value: 'c.d@example.org' }] },
  neg('assets/icon@2x.png and logo@3x.jpg', 'retina image names'),
  neg('[at]example[dot]com obfuscated', 'no @'),
  // phones
  pos('phone', '+1 800 555 0199', 'toll-free {}'),
  pos('phone', '+86 10 1234 5678', '北京座机 {}'),
  pos('phone', '+14155552671', 'tel:{}'),
  pos('phone', '+44 (0)20 7946 0958', 'UK {}'),
  pos('phone', '+1.415.555.2671', 'fax {}'),
  pos('phone', '138 1234 5678', '国际格式 0086 {}'),
  neg('timezone GMT+8 / UTC+08:00', 'UTC offsets'),
  neg('1+1=2 and 3+4=7', 'arithmetic'),
  neg('temperature +12.5°C', 'signed decimal'),
  neg('ISBN 978-7-111-12345-6', 'ISBN'),
  // cards
  pos('payment_card', '5500 0000 0000 0004', 'Card: {}'),
  pos('payment_card', grouped(card('62', 19)), '银联卡 {}'),
  pos('payment_card', card('4', 16), '"card_number": "{}"'),
  neg('card 1111 2222 3333 4444', 'sequence, no issuer'),
  neg('credit limit 4000 0000', 'two groups'),
  // IPv4
  pos('ipv4', '203.0.113.9', 'IP:{}'),
  pos('ipv4', '203.0.113.9', 'allow {}/32'),
  pos('ipv4', '10.1.2.3', 'from {}, retrying'),
  neg('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'reduced Chrome UA version'),
  neg('Edg/120.0.0.0 and Firefox/115.0.2.1', 'browser versions'),
  // IPv6
  pos('ipv6', '2001:db8:85a3::8a2e:370:7334', 'src={}'),
  // tokens in other shapes
  pos('aws_access_key_id', 'AKIAIOSFODNN7EXAMPLE', 'https://bucket.s3.amazonaws.com/k?AWSAccessKeyId={}&Expires=1700000000'),
  pos('github_token', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a', 'https://x-access-token:{}@github.com/acme/app.git'),
  // assignments in more syntaxes
  pos('secret_assignment', 's3cret', 'export PGPASSWORD={}'),
  pos('secret_assignment', 's3cr3t', 'psycopg2.connect(user="app", password="{}", host="db")'),
  pos('secret_assignment', 'hunter22', 'cfg := Config{User: "app", Password: "{}"}'),
  pos('secret_assignment', 'M@ven-p4ss', '<server><id>nexus</id><username>deploy</username><password>{}</password></server>'),
  pos('secret_assignment', 'cGFzc3dvcmQxMjM=', 'data:\n  password: {}'),
  pos('secret_assignment', 'x y z 1', 'DB_PASS = "{}"'),
  pos('secret_assignment', 'a\\"b1c2', '{"password":"{}"}'),
  pos('secret_assignment', 's3cr3tValue', 'MYSQL_PWD={}'),
  pos('secret_assignment', 'Str0ngPass', 'mypassword={}'),
  pos('secret_assignment', 's3cr3tv4lue', 'redis-cli --auth {} ping'),
  pos('slack_webhook', 'services/T0123ABCD/B0123ABCDE/abcDEF123456ghiJKL789mno', 'curl -X POST hooks.slack.com/{}'),
  neg('password: {{ .Values.db.password }}', 'Helm template'),
  neg('token: <your-token>', 'placeholder'),
  neg('api_key: process.env.API_KEY', 'reference'),
  neg('Password must contain 8 characters and a digit', 'prose'),
  neg('Reset password: done', 'status word'),
  neg('token: expired', 'status word'),
  neg('auth: basic', 'auth method'),
  neg('secret: yes', 'flag'),
  neg('password: !vault |', 'Ansible vault reference'),
  neg('method: md5 # pg_hba password auth', 'auth method'),
];
