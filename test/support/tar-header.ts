/** One ustar header block, for hand-made (hostile) tarballs; `size` is written as given, whatever the type. */
export function tarHeader(name: Buffer | string, type: '0' | '5', size: number): Buffer {
  const block = Buffer.alloc(512);
  (typeof name === 'string' ? Buffer.from(name) : name).copy(block, 0, 0, 100);
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}
