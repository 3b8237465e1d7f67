import { card, cnResidentId, grouped, iban, neg, pos, randomChars, spaced4, DIGITS, type CorpusCase } from './corpus-case.js';

const EMAIL: CorpusCase[] = [
  pos('email', 'john.doe@example.com', 'Please forward the report to {} before Friday.'),
  pos('email', 'ops-team+alerts@acme.io', 'alertmanager receiver email_configs.to: {}'),
  pos('email', 'wang.wei@company.com.cn', '请把结果发到 {} ，谢谢'),
  pos('email', 'a_b@sub.domain.co.uk', 'contact={}'),
  pos('email', 'firstname.lastname@mail.example.org', 'From: "First Last" <{}>'),
  pos('email', 'x@y.dev', 'owner {}'),
  pos('email', 'support@startup.ai', 'If this persists, email {}.'),
  pos('email', 'li.na_88@163.com', '用户邮箱 {}，手机未填'),
  pos('email', 'zhangsan@qq.com', '"Zhang San" <{}>'),
  pos('email', 'billing@example.net', '<a href="mailto:{}">billing</a>'),
  pos('email', 'UPPER.CASE@EXAMPLE.COM', 'USER: {}'),
  pos('email', 'bob@x.io', '{"email":"{}","plan":"pro"}'),
  pos('email', 'maria.garcia@empresa.es', '(reported by {})'),
  pos('email', 'noreply@github.com', 'Author: GitHub <{}>'),
  pos('email', 'dev.ops@k8s-prod.internal.example.com', 'cert-manager issuer email: {}'),
  pos('email', 'obrien@example.ie', 'cc: {}; bcc: none'),
  pos('email', 'user%tag@example.com', 'legacy address {} still receives mail'),
  pos('email', 'first-last@my-company.co', 'Signed-off-by: First Last <{}>'),
  pos('email', 'sre@example.com', '{}'),
  pos('email', 'hr.team@example.com', '联系人：{}。'),
];

const EMAIL_NEAR: CorpusCase[] = [
  neg('curl http://user@localhost:8080/health', 'userinfo without a domain TLD'),
  neg('npm install --save-dev @types/node', 'npm scope'),
  neg('pinned zod@4.6.7 and pino@10.4.0', 'package@version'),
  neg('npx create-app@latest my-app', 'package@tag'),
  neg('git clone git@github.com:acme/payments.git', 'scp-style git remote'),
  neg('ssh://git@github.com/acme/payments.git', 'URL user, not an address'),
  neg('ping @oncall in #incidents', 'chat mention'),
  neg('use foo@bar for the test fixture', 'no top-level domain'),
  neg('price was 5@3.50 per unit', 'numeric domain'),
  neg('image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31', 'image digest'),
  neg('decorator @Injectable() on the service', 'decorator'),
  neg('user@@example.com is malformed', 'double at'),
  neg('email: <redacted>', 'placeholder'),
  neg('@media (max-width: 600px) { .a { color: red } }', 'CSS at-rule'),
  neg('python -m pip install "requests==2.31.0"', 'no address at all'),
];

const PHONE: CorpusCase[] = [
  pos('phone', '+1 415 555 2671', 'Customer called from {} at 09:12.'),
  pos('phone', '+1-415-555-2671', 'phone={}'),
  pos('phone', '+44 20 7946 0958', 'London office: {}'),
  pos('phone', '+86 138 1234 5678', '客户电话 {}，请回访'),
  pos('phone', '+8613812345678', '"mobile": "{}"'),
  pos('phone', '13812345678', '手机号：{}'),
  pos('phone', '138-1234-5678', '联系方式 {} (王女士)'),
  pos('phone', '138 1234 5678', 'tel {}'),
  pos('phone', '+49 30 901820', 'Berlin: {}'),
  pos('phone', '+33 1 42 68 53 00', 'Paris {}'),
  pos('phone', '+81 3-1234-5678', 'Tokyo {}'),
  pos('phone', '+61 2 9374 4000', 'Sydney {}'),
  pos('phone', '+1 (415) 555-2671', 'call {} for escalation'),
  pos('phone', '+91 98765 43210', 'WhatsApp {}'),
  pos('phone', '+7 495 123-45-67', 'Moscow {}'),
  pos('phone', '15912345678', '短信验证码已发送至{}'),
  pos('phone', '18600001111', 'call {} now'),
  pos('phone', '+852 2123 4567', 'HK {}'),
  pos('phone', '+86-10-8888-6666', 'Beijing office {}'),
  pos('phone', '86 139 0000 1234', 'ph: {}'),
  pos('phone', '13912345678', '(+86){}'),
  pos('phone', '+31 20 123 4567', 'Amsterdam: {}.'),
  pos('phone', '17712345678', '{"phone":"{}"}'),
  pos('phone', '+14155552671', 'E.164: {}'),
  pos('phone', '+65 6123 4567', 'SG hotline {}'),
];

const PHONE_NEAR: CorpusCase[] = [
  neg('account 12345678901 was created', '11 digits but not a mobile prefix'),
  neg('createdAt 1700000000000', 'epoch milliseconds'),
  neg('the PR got +1 from two reviewers', 'plus one'),
  neg('throughput +100% after the fix', 'percentage'),
  neg('timestamp 2026-11-22T08:00:00+08:00', 'timezone offset'),
  neg('order 13812345678901 shipped', '14-digit order number'),
  neg('key ID_13812345678 in the cache', 'glued to an identifier'),
  neg('resourceVersion: "152083726"', 'k8s resource version'),
  neg('pid 12345 listening on port 5432', 'small numbers'),
  neg('ratio 0.13812345678', 'decimal fraction'),
  neg('latency +3.5% week over week', 'signed decimal'),
  neg('score +12 (baseline 88)', 'signed small number'),
  neg('build 20261122.3 deployed', 'build number'),
  neg('trace 4bf92f3577b34da6a3ce929d0e0e4736', 'trace id'),
  neg('amount 15,912,345,678 CNY', 'grouped amount'),
  neg('snowflake 1389234781234567890', '19-digit id'),
  neg('sha 1389234781234abcd', 'hex-ish id'),
  neg('共有 3 个 pod 在重启，最近 24 小时重启 17 次', 'prose with counts'),
];

function cnIds(): CorpusCase[] {
  const regions = ['110105', '310115', '440305', '330106', '510107', '320102', '420106', '370202', '350203', '610113', '500103', '650102'];
  const out: CorpusCase[] = [];
  const templates = ['身份证号：{}', 'id_card={}', '{"idNo":"{}"}', '乘客 张三 {} 已值机', 'ID {} verified', '证件号码 {}。'];
  for (let i = 0; i < 24; i++) {
    const year = 1950 + Math.floor((i * 37) % 70);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
    const id = cnResidentId(regions[i % regions.length]!, `${year}${month}${day}`, String(100 + i * 13).slice(-3));
    out.push(pos('cn_resident_id', id, templates[i % templates.length]));
  }
  // make sure the X check character is covered
  let seq = 0;
  let withX = '';
  while (!withX.endsWith('X')) withX = cnResidentId('110105', '19491231', String(seq++).padStart(3, '0'));
  out.push(pos('cn_resident_id', withX, '身份证 {}'));
  out.push(pos('cn_resident_id', withX.slice(0, 17) + 'x', 'lower-case check: {}'));
  return out;
}

function cnIdNearMisses(): CorpusCase[] {
  const valid = cnResidentId('110105', '19900307', '881');
  const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
  return [
    neg(`身份证号 ${wrongCheck}`, 'wrong check character'),
    neg(`id ${cnResidentId('110105', '19990231', '123').slice(0, 17)}0`, 'February 31st'),
    neg(`id ${cnResidentId('110105', '19991301', '123')}`, 'month 13'),
    neg(`id ${cnResidentId('110105', '20901231', '123')}`, 'born in the future'),
    neg(`id ${cnResidentId('990105', '19900307', '123')}`, 'no such province'),
    neg(`id ${cnResidentId('000105', '19900307', '123')}`, 'region 00'),
    neg('订单号 202611220000123456 已发货', '18-digit order number'),
    neg('snowflake id 1729384756019283746', '19-digit id'),
    neg('12345678901234567 is 17 digits', '17 digits'),
    neg('11010519491231002Z', 'bad check character letter'),
    neg(`ref ${valid}1`, 'part of a longer number'),
  ];
}

function cards(): CorpusCase[] {
  const specs: [string, number][] = [
    ['4', 16], ['4', 13], ['4', 19], ['51', 16], ['52', 16], ['55', 16], ['2221', 16], ['2720', 16], ['34', 15], ['37', 15],
    ['6011', 16], ['65', 16], ['644', 16], ['3528', 16], ['3589', 16], ['62', 16], ['62', 19], ['36', 14], ['300', 14], ['6759', 16], ['2200', 16],
  ];
  const templates = ['card {}', 'paid with {} exp 12/27', '{"pan":"{}"}', '卡号：{}', 'charge failed for {}.', 'PAN={}'];
  const out: CorpusCase[] = [];
  specs.forEach(([prefix, len], i) => {
    const n = card(prefix, len);
    const shown = i % 3 === 0 ? n : i % 3 === 1 ? grouped(n) : grouped(n, '-');
    out.push(pos('payment_card', shown, templates[i % templates.length]));
  });
  for (const known of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '4242 4242 4242 4242', '6200 0000 0000 0005']) {
    out.push(pos('payment_card', known, 'test card {} declined'));
  }
  return out;
}

function cardNearMisses(): CorpusCase[] {
  const bump = (n: string): string => n.slice(0, -1) + String((Number(n.slice(-1)) + 1) % 10);
  return [
    neg(`card ${bump('4111111111111111')}`, 'Luhn fails'),
    neg(`card ${bump(card('5', 16))}`, 'Luhn fails'),
    neg(`card ${grouped(bump(card('4', 16)))}`, 'Luhn fails, grouped'),
    neg(`ts ${card('1', 16)}`, 'no issuer starts with 1 (µs timestamp)'),
    neg(`id ${card('9', 16)}`, 'no issuer starts with 9'),
    neg(`visa-length ${card('4', 15)}`, 'Visa never has 15 digits'),
    neg('IMEI 490154203237518', 'IMEI: Luhn-valid, 15 digits, not a card length for prefix 4'),
    neg('order ORD-4111111111111111 created', 'glued to an order prefix'),
    neg('tracking 9400111899223856928499', '22 digits'),
    neg('account 1234 5678', 'two groups only'),
    neg(`amex-length ${card('34', 16)}`, 'Amex is 15 digits'),
    neg('epoch µs 1700000000123456', 'timestamp'),
    neg(`sum ${randomChars(DIGITS, 12)}`, '12 digits'),
  ];
}

function ibans(): CorpusCase[] {
  const bbans: [string, string][] = [
    ['DE', '370400440532013000'], ['GB', 'WEST12345698765432'], ['FR', '20041010050500013M02606'], ['ES', '21000418450200051332'], ['IT', 'X0542811101000000123456'],
    ['NL', 'ABNA0417164300'], ['BE', '539007547034'], ['CH', '00762011623852957'], ['AT', '1904300234573201'], ['PL', '109010140000071219812874'],
    ['SE', '50000000058398257466'], ['NO', '86011117947'], ['DK', '00400440116243'], ['FI', '12345600000785'], ['PT', '000201231234567890154'],
    ['IE', 'AIBK93115212345678'], ['LU', '0019400644750000'], ['CZ', '08000000192000145399'], ['HU', '117730161111101800000000'], ['RO', 'AAAA1B31007593840000'],
    ['SA', '80000000608010167519'], ['AE', '0331234567890123456'], ['TR', '0006100519786457841326'], ['BR', '00360305000010009795493P1'], ['GR', '01101250000000012300695'],
  ];
  const templates = ['IBAN {}', 'please transfer to {} by Monday', '{"iban":"{}"}', '收款账户 IBAN：{}', 'beneficiary={};'];
  return bbans.map(([cc, bban], i) => {
    const value = iban(cc, bban);
    return pos('iban', i % 2 === 0 ? value : spaced4(value), templates[i % templates.length]);
  });
}

function ibanNearMisses(): CorpusCase[] {
  const good = iban('DE', '370400440532013000');
  const badCheck = `${good.slice(0, 2)}${good[2] === '9' ? '0' : '9'}${good.slice(3)}`;
  return [
    neg(`IBAN ${badCheck}`, 'wrong check digits'),
    neg(`IBAN ${good.slice(0, -1)}`, 'too short for DE'),
    neg(`IBAN ${iban('XX', '370400440532013000')}`, 'no such country'),
    neg('BIC DEUTDEFF500', 'BIC, not an IBAN'),
    neg('encoding GB2312 and ISO8601 dates', 'codes'),
    neg('error AB12 CDEF 3456', 'short code'),
    neg('SKU GB82 WEST', 'too short'),
    neg('release RC12 build 4567 8901', 'release tags'),
    neg(`ref ${spaced4(badCheck)}`, 'wrong check digits, grouped'),
  ];
}

const IPV4: CorpusCase[] = [
  pos('ipv4', '203.0.113.7', 'client {} made 40 requests'),
  pos('ipv4', '8.8.8.8', 'nameserver {}'),
  pos('ipv4', '10.244.3.12', 'payment-api-7d9f8b6c5-x2x9p   1/1   Running   0   3h   {}   ip-10-0-1-23.ec2.internal'),
  pos('ipv4', '192.168.1.100', 'router at {}'),
  pos('ipv4', '172.16.0.5', 'upstream={}:8080'),
  pos('ipv4', '198.51.100.23', 'connect to {}:443 failed'),
  { text: 'X-Forwarded-For: 203.0.113.195, 70.41.3.18', expect: [{ detector: 'ipv4', value: '203.0.113.195' }, { detector: 'ipv4', value: '70.41.3.18' }] },
  pos('ipv4', '203.0.113.195', 'X-Forwarded-For: {}, proxy'),
  pos('ipv4', '100.64.1.1', 'CGNAT address {}'),
  pos('ipv4', '1.1.1.1', 'resolver {}.'),
  pos('ipv4', '52.14.201.7', 'host={}'),
  pos('ipv4', '45.33.32.156', 'scanner ({}) blocked'),
  pos('ipv4', '169.254.169.254', 'metadata endpoint http://{}/latest/meta-data'),
  pos('ipv4', '192.0.2.44', '{"clientIp":"{}"}'),
  pos('ipv4', '81.2.69.142', '登录 IP：{}'),
  pos('ipv4', '10.0.0.1', 'gateway {}, dns auto'),
  pos('ipv4', '34.117.59.81', 'curl ifconfig.me -> {}'),
  pos('ipv4', '185.199.108.153', 'A record {}'),
  pos('ipv4', '91.198.174.192', 'from {} via VPN'),
  pos('ipv4', '202.96.128.86', 'DNS 服务器 {}'),
];

const IPV4_NEAR: CorpusCase[] = [
  neg('upgraded to v1.2.3.4 yesterday', 'version with v'),
  neg('version 1.2.3.4 is out', 'version word'),
  neg('sequence 1.2.3.4.5', 'five parts'),
  neg('256.1.1.1 is not an address', 'octet over 255'),
  neg('subnet 10.0.0 (three parts)', 'three parts'),
  neg('listening on 127.0.0.1:8080', 'loopback'),
  neg('bind 0.0.0.0:80', 'unspecified'),
  neg('netmask 255.255.255.0', 'netmask'),
  neg('OID 1.3.6.1.4.1.2021', 'SNMP OID'),
  neg('build 10.0.19045.3803', 'Windows build number'),
  neg('User-Agent: Chrome/120.0.6099.109', 'browser version'),
  neg('p99 went from 0.412 to 1.204 seconds', 'decimals'),
  neg('release: 2026.11.22.1', 'date-like version'),
  neg('octets 01.02.03.04 with leading zeros', 'leading zeros'),
];

const IPV6: CorpusCase[] = [
  pos('ipv6', '2001:db8::1', 'peer {} connected'),
  pos('ipv6', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'addr {}'),
  pos('ipv6', 'fe80::1ff:fe23:4567:890a', 'link-local {}%eth0'),
  pos('ipv6', '::ffff:192.0.2.128', 'mapped {}'),
  pos('ipv6', '2606:4700:4700::1111', 'resolver {}'),
  pos('ipv6', '2001:db8::42', 'curl http://[{}]:8080/health'),
  pos('ipv6', 'fd12:3456:789a:1::1', 'ULA {}'),
  pos('ipv6', '2a03:2880:f12f:83:face:b00c::25de', 'client {} rejected'),
  pos('ipv6', '2404:6800:4008:c01::8b', '{"remote":"{}"}'),
  pos('ipv6', '2001:db8:0:0:1:0:0:1', 'IPv6 地址 {}'),
  pos('ipv6', 'ff02::1:ff00:42', 'multicast {}'),
  pos('ipv6', '2001:4860:4860::8888', 'nameserver {}'),
];

const IPV6_NEAR: CorpusCase[] = [
  neg('listening on [::1]:3000', 'loopback'),
  neg('bind :: (all interfaces)', 'unspecified'),
  neg('std::vector<int> v;', 'C++ scope'),
  neg('the dead::beef pattern', 'hex words, no digit'),
  neg('started at 12:34:56', 'clock time'),
  neg('2026-11-22T05:31:52.123Z', 'timestamp'),
  neg('MAC 00:1A:2B:3C:4D:5E', 'MAC address'),
  neg('Foo::Bar::baz()', 'Ruby/Rust path'),
  neg('aspect ratio 16:9', 'ratio'),
  neg('localhost:8080', 'host and port'),
  neg('abcd:ef01 is half an address', 'two groups'),
  neg('1:2:3 is a verse reference', 'three numbers'),
];

export const PII_CORPUS: readonly CorpusCase[] = [
  ...EMAIL,
  ...EMAIL_NEAR,
  ...PHONE,
  ...PHONE_NEAR,
  ...cnIds(),
  ...cnIdNearMisses(),
  ...cards(),
  ...cardNearMisses(),
  ...ibans(),
  ...ibanNearMisses(),
  ...IPV4,
  ...IPV4_NEAR,
  ...IPV6,
  ...IPV6_NEAR,
];
