export async function kernelReport(): Promise<never> {
  throw new Error('todo');
}
