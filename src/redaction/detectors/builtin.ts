import { createCnResidentIdDetector } from './cn-resident-id.js';
import { createAwsSecretKeyDetector, createBearerTokenDetector, createPrivateKeyDetector, createUrlPasswordDetector } from './credentials.js';
import { BUILTIN_DETECTORS, type BuiltinDetectorName, type Detector } from './detector.js';
import { createEmailDetector } from './email.js';
import { createIbanDetector } from './iban.js';
import { createIpv4Detector, createIpv6Detector, type IpOptions } from './ip-address.js';
import { createJwtDetector } from './jwt.js';
import { createPaymentCardDetector } from './payment-card.js';
import { createPhoneDetector } from './phone.js';
import {
  createAnthropicKeyDetector,
  createAwsAccessKeyIdDetector,
  createGithubTokenDetector,
  createGitlabTokenDetector,
  createGoogleApiKeyDetector,
  createOpenAiKeyDetector,
  createSlackTokenDetector,
  createSlackWebhookDetector,
  createStripeKeyDetector,
} from './provider-tokens.js';
import { createSecretAssignmentDetector } from './secret-assignment.js';

const FACTORIES: Readonly<Record<BuiltinDetectorName, (ip: IpOptions) => Detector>> = {
  private_key: createPrivateKeyDetector,
  jwt: createJwtDetector,
  anthropic_key: createAnthropicKeyDetector,
  openai_key: createOpenAiKeyDetector,
  aws_access_key_id: createAwsAccessKeyIdDetector,
  aws_secret_access_key: createAwsSecretKeyDetector,
  github_token: createGithubTokenDetector,
  gitlab_token: createGitlabTokenDetector,
  slack_token: createSlackTokenDetector,
  slack_webhook: createSlackWebhookDetector,
  stripe_key: createStripeKeyDetector,
  google_api_key: createGoogleApiKeyDetector,
  bearer_token: createBearerTokenDetector,
  url_password: createUrlPasswordDetector,
  secret_assignment: createSecretAssignmentDetector,
  cn_resident_id: () => createCnResidentIdDetector(),
  payment_card: createPaymentCardDetector,
  iban: createIbanDetector,
  email: createEmailDetector,
  phone: createPhoneDetector,
  ipv6: createIpv6Detector,
  ipv4: createIpv4Detector,
};

/** Fresh instances of the enabled built-in detectors, in priority order. */
export function createBuiltinDetectors(enabled: Readonly<Record<BuiltinDetectorName, boolean>>, ip: IpOptions): Detector[] {
  return BUILTIN_DETECTORS.filter((name) => enabled[name]).map((name) => FACTORIES[name](ip));
}
