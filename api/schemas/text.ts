import { z } from '../openapi/zod';

/**
 * At least one character that is not whitespace, in JavaScript's and in Python's sense alike (the
 * class adds what only one of them calls whitespace: U+FEFF for JavaScript, U+001C–U+001F and
 * U+0085 for Python), so a client or fuzzer reading the OpenAPI pattern agrees with this server;
 * and, like every string here, no U+0000 (the pattern replaces the document's default one).
 */
// eslint-disable-next-line no-control-regex -- the control characters are the point
const NOT_BLANK = /^[^\u0000]*[^\s\u0000\x1c-\x1f\x85\ufeff][^\u0000]*$/;

/**
 * Free text that must say something: at most `max` characters as sent, at least one of them not
 * whitespace; stored without surrounding whitespace. Length is checked before trimming, so the
 * documented maxLength is exactly what is refused.
 */
export const requiredText = (max: number) => z.string().max(max).regex(NOT_BLANK, 'must not be blank').trim();

/** Optional free text: at most `max` characters as sent, stored trimmed (possibly empty). */
export const optionalText = (max: number) => z.string().max(max).trim();
