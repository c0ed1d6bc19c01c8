// The user's cache folder, as bin/idp and src/packaged/idpCacheDir.ts find it: everything idp
// keeps between runs lives in <it>/idp, and deleting that is always safe.
'use strict';
const os = require('node:os');
const path = require('node:path');

exports.cacheHome = function cacheHome(env = process.env) {
  const xdg = env.XDG_CACHE_HOME;
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.cache');
};
