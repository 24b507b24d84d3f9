import { readFileSync } from 'node:fs'
import path from 'node:path'

/** A shell command of a fenced block, as written (comments dropped, continuations kept). */
export interface ReadmeCommand {
  /** The command's text, for `sh -c`. */
  readonly text: string
  /** The markdown file and the line the command starts on, for failure messages. */
  readonly where: string
  /** Which fenced block of the file holds it (0-based). */
  readonly block: number
}

/**
 * Every command of the ```sh (or bash, shell) blocks of a markdown file, in document order.
 * Tests find what they run by its content (`npm start`, `curl …`), never by line numbers, so the
 * file may be rewritten around them.
 */
export function markdownCommands(root: string, file: string): ReadmeCommand[] {
  const text = readFileSync(path.join(root, file), 'utf8')
  const commands: ReadmeCommand[] = []
  const fence = /^```(?:sh|bash|shell|console)[^\n]*\n([\s\S]*?)^```/gm
  let n = 0
  for (const block of text.matchAll(fence)) {
    const index = n++
    const body = block[1] ?? ''
    const firstLine = text.slice(0, (block.index ?? 0) + block[0].indexOf('\n') + 1).split('\n').length
    for (const command of shellCommands(body)) {
      commands.push({ text: command.text, where: `${file}:${firstLine + command.line}`, block: index })
    }
  }
  return commands
}

/**
 * Splits a block into commands as a shell reads it: a newline ends a command unless it is
 * quoted or escaped; `#` at the start of a word begins a comment.
 */
export function shellCommands(block: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = []
  let current = ''
  let line = 0
  let startLine = 0
  let quote: '"' | "'" | null = null
  const end = () => {
    if (current.trim() !== '') out.push({ text: current.trim(), line: startLine })
    current = ''
  }
  for (let i = 0; i < block.length; i++) {
    const c = block[i] as string
    if (current.trim() === '' && c !== '\n') startLine = line
    if (c === '\n') line++
    if (quote !== null) {
      current += c
      if (c === quote) quote = null
      else if (c === '\\' && quote === '"' && i + 1 < block.length) current += block[++i]
      continue
    }
    if (c === "'" || c === '"') {
      quote = c
      current += c
    } else if (c === '\\' && block[i + 1] === '\n') {
      current += '\\\n'
      i++
      line++
    } else if (c === '#' && (current === '' || /\s$/.test(current))) {
      while (i + 1 < block.length && block[i + 1] !== '\n') i++
    } else if (c === '\n') {
      end()
    } else {
      current += c
    }
  }
  end()
  return out
}
