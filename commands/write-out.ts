import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/**
 * Writes a command's output to `target` (standard output unless told) at the pace it takes it. A
 * reader that has read enough (`| head`) closes the pipe: the command simply stops, as cat would.
 */
export async function writeOut (output: Readable | string, target: NodeJS.WritableStream = process.stdout): Promise<void> {
  try {
    await pipeline(typeof output === 'string' ? Readable.from([output]) : output, target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error
  }
}
