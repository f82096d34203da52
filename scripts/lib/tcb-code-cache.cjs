// Preloaded (NODE_OPTIONS --require) into every tcb CLI this project runs (scripts/lib/tcb-cli.ts):
// keeps V8's compiled code of the CLI's 32 MB bundle (@cloudbase/cli/dist/standalone/cli.js) between
// runs. Compiling that file was about half of each CLI start (1.4 s of CPU for `tcb --version`).
// The CLI's code is untouched: the same source runs in the same module wrapper with the same
// require; only V8's compile step reads a cache.
//
// Node 20 has no built-in compile cache (module.enableCompileCache is Node 22), and the package
// v8-compile-cache takes V8's cache right after compiling, when only the top level is compiled:
// that saved 0.25 s of a start here. This takes it when the CLI exits, so it also holds the
// functions the run compiled lazily (about 0.7 s of a start).
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** Only the CLI's large bundles are worth a cache entry; every other module loads as usual. */
const MIN_BYTES = 1_000_000;
const dir = process.env.TCB_CODE_CACHE_DIR;
const produced = [];

if (dir) {
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (content.length < MIN_BYTES) return compile.call(this, content, filename);
    const { size, mtimeMs, ino } = fs.statSync(filename);
    const entry = path.join(dir, `${path.basename(filename)}-${ino}-${size}-${Math.floor(mtimeMs)}-${process.version}.v8`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(entry);
    } catch {
      cachedData = undefined;
    }
    // V8 checks the data against this source and these flags and rejects what does not match.
    const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    if (cachedData === undefined || script.cachedDataRejected) produced.push({ entry, script });
    return script.runInThisContext({ displayErrors: true }).call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    for (const { entry, script } of produced) {
      try {
        fs.mkdirSync(dir, { recursive: true });
        const temp = `${entry}.${process.pid}`;
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, entry); // parallel CLIs may race: each entry appears whole or not at all
      } catch {
        // A cache that cannot be written only costs the next run its compile time.
      }
    }
  });
}

/** The `require` Node gives a module (lib/internal/modules/helpers.js makeRequireFunction). */
function requireFor(mod) {
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}
