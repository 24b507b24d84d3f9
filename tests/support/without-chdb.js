// Preloaded into a service process (NODE_OPTIONS=--import …) to make chDB unloadable, as on a
// platform it has no build for: every resolution of `chdb` or `@chdb/*`, by require or by import,
// fails as a missing package does, and is noted in the file CHDB_BLOCK_LOG names (a line per
// attempt), so a test tells "never loaded" from "loaded and failed".
import { appendFileSync } from 'node:fs'
import Module, { register } from 'node:module'
import process from 'node:process'

const BLOCKED = /^(chdb|@chdb\/)/

/** @param {string} specifier */
function refuse(specifier) {
  if (process.env.CHDB_BLOCK_LOG) appendFileSync(process.env.CHDB_BLOCK_LOG, `${specifier}\n`)
  return Object.assign(new Error(`Cannot find module '${specifier}'`), { code: 'MODULE_NOT_FOUND' })
}

// require() (src/store/engine.ts loads chDB with createRequire).
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (typeof request === 'string' && BLOCKED.test(request)) throw refuse(request)
  return resolveFilename.call(this, request, ...rest)
}

// import: a resolve hook on the loader thread, which notes attempts itself.
const hook = `
import { appendFileSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  if (${BLOCKED}.test(specifier)) {
    if (process.env.CHDB_BLOCK_LOG) appendFileSync(process.env.CHDB_BLOCK_LOG, specifier + '\\n')
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' })
  }
  return next(specifier, context)
}
`
register(`data:text/javascript,${encodeURIComponent(hook)}`)
