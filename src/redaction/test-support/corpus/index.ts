import type { CorpusCase } from './corpus-case.js';
import { CREDENTIAL_CORPUS } from './credentials.js';
import { NEAR_MISS_CORPUS } from './near-misses.js';
import { PII_CORPUS } from './pii.js';
import { MORE_FORMS_CORPUS } from './more-forms.js';
import { SECRET_CORPUS } from './secrets.js';

/** The labelled corpus: positives and near misses for every built-in detector. */
export const CORPUS: readonly CorpusCase[] = [...PII_CORPUS, ...SECRET_CORPUS, ...CREDENTIAL_CORPUS, ...NEAR_MISS_CORPUS, ...MORE_FORMS_CORPUS];
export type { CorpusCase } from './corpus-case.js';
