export { defaultSyncPolicy, parseSyncPolicy } from './config/policy.js';
