// RFC 3986 characters: unreserved and sub-delims, or a %-escape. A path segment may also hold ":"
// and "@" (hf://org/repo@revision).
const CHAR = "(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})";
const PATH_CHAR = "(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})";

/**
 * Where a model is loaded from, as RFC 3986 `scheme://authority/path` for the schemes the service's
 * loader knows: s3:// and gs:// name a bucket, hf:// an organisation, file:// a local path
 * (file:///models/1). No user info, port, query or fragment: the loader would ignore them, and a
 * URI with credentials must not land in a repository. Empty means the bundled example model.
 */
export const MODEL_URI_PATTERN = `^((?:s3|gs|hf)://${CHAR}+(?:/${PATH_CHAR}*)*|file://(?:localhost)?(?:/${PATH_CHAR}*)+)?$`;

/** The service's MODEL_URI setting accepts at most this many characters. */
export const MAX_MODEL_URI_LENGTH = 2048;
