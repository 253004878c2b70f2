// An ES module handler (.mjs), with top-level await.
import { basename } from 'node:path';

const loadedAt = await Promise.resolve('top-level await');

export const handler = async (event, context) => ({ kind: 'mjs', file: basename(import.meta.url), loadedAt, requestId: context.awsRequestId });
