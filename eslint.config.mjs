import neostandard from 'neostandard'

// neostandard: the Fastify team's style (standard, for TypeScript too).
export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'coverage/**', '.tap/**', 'db/migrations/**']
  }),
  {
    rules: {
      // The contract's fields and the database's columns are snake_case (`user_id`), and they keep
      // one name from the request through the domain to the SQL.
      camelcase: 'off'
    }
  }
]
