import { createMemoryKeyStore } from './memory-key-store.js';
import { keyStoreContract } from './test-support/key-store-contract.js';

keyStoreContract('memory', () => Promise.resolve(createMemoryKeyStore()));
