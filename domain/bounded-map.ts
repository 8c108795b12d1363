/** A Map of at most `capacity` entries: a new key past it takes the place of the oldest. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor (readonly capacity: number) {
    super()
  }

  override set (key: K, value: V): this {
    if (this.size >= this.capacity && !this.has(key)) this.delete(this.keys().next().value!)
    return super.set(key, value)
  }
}
