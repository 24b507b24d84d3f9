import { writeFileSync } from 'node:fs'
import { printSchema } from 'graphql'
import { buildSchema } from '../src/schema.js'

// The committed SDL: printed from code, sorted, so CI can fail when the two drift apart.
const target = new URL('../schema/schema.graphql', import.meta.url)
writeFileSync(target, `${printSchema(buildSchema())}\n`)
console.log(`wrote ${target.pathname}`)
