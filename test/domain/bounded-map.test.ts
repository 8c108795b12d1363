import fc from 'fast-check'
import t from 'tap'
import { BoundedMap } from '../../domain/bounded-map'

t.test('a bounded map holds what a plain map would, less the oldest keys past its capacity', async (t) => {
  t.doesNotThrow(() => fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.string())), (capacity, writes) => {
    const bounded = new BoundedMap<number, string>(capacity)
    // The model: entries in the order their keys first came, a known key keeping its place.
    const model: Array<[number, string]> = []
    for (const [key, value] of writes) {
      bounded.set(key, value)
      const known = model.find((entry) => entry[0] === key)
      if (known) known[1] = value
      else {
        if (model.length >= capacity) model.shift()
        model.push([key, value])
      }
    }
    return JSON.stringify([...bounded.entries()]) === JSON.stringify(model) && bounded.size <= capacity
  })), 'for every capacity and sequence of writes tried')
})

t.test('setting a key it holds, when full, makes no room', async (t) => {
  const bounded = new BoundedMap<string, number>(2)
  bounded.set('a', 1).set('b', 2).set('a', 3)
  t.same([...bounded.entries()], [['a', 3], ['b', 2]])
})
