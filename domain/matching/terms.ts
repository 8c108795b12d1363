/**
 * Free text (a mentee's interests, a mentor's bio and experience names) turned into comparable
 * terms: lower case, punctuation dropped, a light stemmer and a small synonym table, so that
 * "React" meets "react.js" and "JS" meets "JavaScript" while "java" stays apart from "javascript".
 * Terms are compared whole, never by prefix.
 */

/** A term, and the word a reason shows for it. */
export interface Term {
  term: string
  word: string
}

/** Phrases that name one thing in several words, read before the text is split into words. */
const PHRASES: Array<[RegExp, string]> = [
  [/\bc\+\+/g, ' cplusplus '],
  [/\bc#/g, ' csharp '],
  [/(^|\s)\.net\b/g, ' dotnet '],
  [/\bmachine learning\b/g, ' ml '],
  [/\bartificial intelligence\b/g, ' ai '],
  [/\buser experience\b/g, ' ux '],
  [/\bci\s*\/\s*cd\b/g, ' cicd '],
  // "react.js", "node.js": the ".js" names the same library as the bare word.
  [/\b([a-z0-9]+)\.js\b/g, ' $1js ']
]

/** Different spellings of one term, each mapped to the one the model compares. */
const SYNONYMS: Record<string, string> = {
  js: 'javascript',
  ecmascript: 'javascript',
  ts: 'typescript',
  py: 'python',
  golang: 'go',
  reactjs: 'react',
  nodejs: 'node',
  vuejs: 'vue',
  expressjs: 'express',
  postgres: 'postgresql',
  k8s: 'kubernetes',
  ml: 'machine-learning',
  ai: 'artificial-intelligence',
  cplusplus: 'c++',
  csharp: 'c#',
  dotnet: '.net',
  cicd: 'ci/cd',
  devop: 'devops',
  frontend: 'front-end',
  backend: 'back-end'
}

/** Words that say nothing about a skill. */
const STOP_WORDS = new Set([
  'a', 'about', 'also', 'am', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'can', 'do', 'for', 'from',
  'get', 'good', 'happy', 'have', 'help', 'how', 'i', 'in', 'into', 'is', 'it', 'its', 'like', 'me', 'more', 'my', 'of',
  'on', 'or', 'our', 'so', 'some', 'that', 'the', 'their', 'them', 'this', 'to', 'up', 'very', 'want', 'we', 'well',
  'with', 'would', 'year', 'years', 'you', 'your', 'work', 'working', 'learn', 'learning', 'interested'
])

/**
 * A light English stemmer: plural and verb endings, so "databases" meets "database" and "testing"
 * meets "tests". Short words are left alone ("sql", "css", "aws").
 */
export function stem (word: string): string {
  if (word.length <= 3) return word
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3)
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2)
  if (word.endsWith('es') && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2)
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1)
  return word
}

/** The terms of a text, each once, in the order the text first names them. */
export function termsOf (text: string | null | undefined): Term[] {
  if (!text) return []
  let spelled = text.toLowerCase()
  for (const [phrase, replacement] of PHRASES) spelled = spelled.replace(phrase, replacement)
  const seen = new Set<string>()
  const terms: Term[] = []
  for (const word of spelled.split(/[^a-z0-9+#-]+/)) {
    const bare = word.replace(/^-+|-+$/g, '')
    if (bare === '' || STOP_WORDS.has(bare) || /^\d+$/.test(bare)) continue
    const synonym = SYNONYMS[bare] ?? SYNONYMS[stem(bare)]
    const term = synonym ?? stem(bare)
    if (seen.has(term)) continue
    seen.add(term)
    // A respelled word shows as the term it stands for: "react.js" as "react", "JS" as "javascript".
    terms.push({ term, word: synonym ?? bare })
  }
  return terms
}
