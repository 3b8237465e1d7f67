import { createMemoryStorage } from '../../core/index.js';
import { describeStorageContract } from '../contract/storage-contract.js';

// Memory is the reference backend; it has no reopen (nothing survives the process).
describeStorageContract('memory', () => Promise.resolve({ storage: createMemoryStorage(), cleanup: () => Promise.resolve() }));
