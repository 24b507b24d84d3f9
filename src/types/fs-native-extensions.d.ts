/** The part of fs-native-extensions (file locks on Linux, macOS and Windows) that we use. */
declare module 'fs-native-extensions' {
  const fsx: {
    /** Takes a lock on the open file without waiting; false when another holds it. */
    tryLock(fd: number, options?: { shared?: boolean }): boolean
    unlock(fd: number): void
  }
  export default fsx
}
